// Debian's Chromium driven by playwright-core, as the browser tests open VS Code: headless, a fresh
// profile, and nothing but loopback reachable. Shared by the tests that start their own code-server
// (workbench.ts) and the test that opens the one `npm run demo` started.
import * as path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export interface Chromium {
  readonly context: BrowserContext;
  readonly page: Page;
}

/** Starts Chromium with its profile and home inside `tmp` (the caller removes it) and resolves with its first page. */
export async function launchChromium(tmp: string, chromiumPath?: string): Promise<Chromium> {
  const home = path.join(tmp, 'home');
  const context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // Chromium writes ~/.config/chromium and ~/.cache/dconf whatever its profile folder is.
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
    viewport: { width: 1600, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
  try {
    // Only loopback: a request anywhere else is aborted and reported (it would mean the product phones out).
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (/^(https?|wss?):$/.test(url.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
        console.log(`      [e2e] blocked a non-loopback request: ${url.href}`);
        return route.abort();
      }
      return route.continue();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.log(`      [e2e] page error: ${error.message}`));
    return { context, page };
  } catch (error) {
    await context.close().catch(() => undefined);
    throw error;
  }
}
