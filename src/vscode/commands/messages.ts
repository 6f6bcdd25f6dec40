// How errors and other engine texts reach the user. The core carries its texts in both languages
// ({ en, zh }); the host picks one by VS Code's display language. Texts written in this layer go
// through vscode.l10n.t like every other string, so both fields of a StudioError we build here hold
// the one already-localised text.
import * as vscode from 'vscode';
import { StudioError, type Localized } from '../../core/tencent/errors';

export function prefersChinese(): boolean {
  return vscode.env.language.toLowerCase().startsWith('zh');
}

export function localized(text: Localized): string {
  return prefersChinese() ? text.zh : text.en;
}

/** A validation error raised in the VS Code layer (e.g. an output folder outside the workspace). */
export function localValidationError(code: string, explanation: string, nextStep: string): StudioError {
  const both = (text: string): Localized => ({ en: text, zh: text });
  return new StudioError({ kind: 'invalid', code, message: explanation, retryable: false, explanation: both(explanation), nextStep: both(nextStep) });
}

/** Explanation, next step and the ids support asks for, in the user's language. */
export function describeError(error: StudioError): string {
  return error.describe(prefersChinese() ? 'zh' : 'en');
}

/** Anything thrown, as a StudioError (unexpected errors keep their message, never a stack). */
export function asStudioError(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return localValidationError('Client.Unexpected', vscode.l10n.t('Something unexpected went wrong: {0}', message), vscode.l10n.t('Try again; the log "AIGC Image Studio" has the details.'));
}

/** Settings-related codes: the error offers to open the extension's settings. */
const SETTINGS_CODES = new Set([
  'Client.UnknownModel',
  'Client.ResolutionUnsupported',
  'Client.StyleUnknown',
  'Client.CountOutOfRange',
  'Client.SeedOutOfRange',
  'Client.InvalidEndpoint',
  'Client.InvalidProxy',
  'Client.OutputFolderOutside',
  'Client.ReadOnlyFolder',
  'Client.FolderUnavailable',
  'Client.DiskFull',
]);

/**
 * Shows a StudioError with the action that fixes it: "Set Credentials" for missing or rejected
 * keys, "Open Settings" for a bad setting. Not awaited by callers: a command's result must not wait
 * for the user to dismiss a notification.
 */
export function showStudioError(error: StudioError): void {
  const setCredentials = vscode.l10n.t('Set Credentials');
  const openSettings = vscode.l10n.t('Open Settings');
  const actions: string[] = [];
  if (error.kind === 'auth') actions.push(setCredentials);
  if (SETTINGS_CODES.has(error.code)) actions.push(openSettings);
  const show = error.kind === 'cancelled' ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  void show(describeError(error), ...actions).then((choice) => {
    if (choice === setCredentials) void vscode.commands.executeCommand('imageStudio.setCredentials');
    if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'imageStudio');
  });
}
