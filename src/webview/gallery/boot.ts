/// <reference lib="dom" />
/**
 * Runs before anything else of the page (main.ts imports it first, and imports are evaluated in
 * order): the VS Code API handle, CSP-violation reporting, and zod without its eval probe. zod
 * builds fast parsers with `new Function` when eval is allowed and tests that once, when the first
 * object schema is built; under this page's CSP (no 'unsafe-eval') the probe itself is a violation.
 * (The task panel's page has the same start; each page is its own bundle and imports only its own
 * folder and src/shared.)
 */
import * as z from 'zod/mini';

z.config({ jitless: true });

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The page's one handle (acquireVsCodeApi may be called only once). */
export const vscode = acquireVsCodeApi();

// Raw message (the protocol's `cspViolation`): the schemas are not built yet at this point.
document.addEventListener('securitypolicyviolation', (event) => {
  vscode.postMessage({ type: 'cspViolation', directive: event.effectiveDirective.slice(0, 200), blockedUri: event.blockedURI.slice(0, 2_000) });
});
