/**
 * The gallery benchmark (design.md: "2,000 images show their first screen in ≤ 500 ms and scroll
 * without loading the off-screen ones"), measured in the real browser: the offline VS Code
 * (code-server, test/runtime/install.sh) with this extension as its development extension, a
 * workspace of N real 1024×1024 PNGs with our metadata (gallery-fixture.ts), driven by
 * playwright-core and Debian's Chromium as a user would: click the activity-bar icon.
 *
 * Figures:
 * - first screen: from the click to every thumbnail in view decoded and painted. The page
 *   timestamps that moment itself (metrics.ts: performance.timeOrigin + firstScreenMs), so polling
 *   from here adds no error. Cold = first open of a fresh profile (the index is built by reading
 *   every file's head, and every thumbnail from its full image); warm = right after a window reload
 *   (the index comes from workspaceState, validated by mtime and size; the first screen's thumbnails
 *   from the thumbnail cache the cold open filled); settled = after another reload, once the
 *   workbench has finished starting (the extension host's startup activations are logged as done,
 *   then SETTLED_EXTRA_MS), the way a user opens the gallery in a window that has been up a while.
 * - off-screen thumbnails: how many the page requested against the cells in view, then after
 *   scrolling screen by screen and after jumping to the end.
 * - memory of the webview: its renderer process's proportional set size (PSS) and the page's
 *   JS heap, DOM nodes and decoded thumbnail pixels, after the first screen and after the scrolling.
 *
 * Figures only: nothing here is asserted in `npm test`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureGalleryFixture } from './gallery-fixture';
import { freePort, offlineRuntime } from './offline-vscode';

const repo = path.resolve(__dirname, '../..');

export interface GalleryBenchOptions {
  readonly count: number;
  readonly log: (line: string) => void;
}

export interface FirstScreen {
  /** Click to the gallery page starting to load (VS Code resolving the view, making its iframe), ms. */
  readonly pageStartMs: number;
  /** Click to the first screen of thumbnails painted, ms. */
  readonly firstScreenMs: number;
  /** Click to the list arriving in the page, ms. */
  readonly itemsReceivedMs: number;
  readonly firstScreenCells: number;
  readonly thumbnailsRequested: number;
  /** Of the thumbnails drawn so far, how many came from the host's cache rather than the full image. */
  readonly thumbnailsFromCache: number;
  readonly domCells: number;
  /** The page's own marks and its script and style loads, ms after its time origin: "name@ms". */
  readonly timeline: string;
}

export interface PageMemory {
  /** Growth of the browser's renderer processes' PSS since just before the gallery was opened, bytes. */
  readonly rendererPssGrowth: number;
  /** The webview got a renderer process of its own (site isolation) rather than sharing the workbench's. */
  readonly ownProcess: boolean;
  /** performance.memory.usedJSHeapSize in the page (the whole renderer's heap when it is shared). */
  readonly jsHeapBytes?: number;
  readonly domNodes: number;
  /** Sum of width × height × 4 of the thumbnails in the DOM: what their pixels take. */
  readonly decodedThumbnailBytes: number;
}

export interface ScrollFigures {
  readonly screens: number;
  readonly thumbnailsRequested: number;
  readonly domCells: number;
  /** Items passed through the viewport (the fewest thumbnails a grid without waste must load). */
  readonly itemsPassed: number;
}

export interface GalleryBenchResult {
  readonly count: number;
  readonly cold: FirstScreen;
  readonly warm: FirstScreen;
  readonly settled: FirstScreen;
  /** The same, with the page going back to the place it was left at (the end of the list). */
  readonly settledRestoring: FirstScreen;
  /** The comparison view (webview-floor), right after a reload and in a settled window. */
  readonly floorWarm: FloorScreen;
  readonly floorSettled: FloorScreen;
  readonly memoryFirstScreen: PageMemory;
  readonly scroll: ScrollFigures;
  readonly end: { readonly thumbnailsRequested: number; readonly domCells: number };
  readonly memoryAfterScroll: PageMemory;
  readonly screenshot: string;
}

// playwright-core is a module of the offline runtime (install.sh), not necessarily of the project.
interface PlaywrightFrame {
  evaluate<T, A = undefined>(fn: ((arg: A) => T | Promise<T>) | string, arg?: A): Promise<T>;
  url(): string;
  isDetached(): boolean;
}
interface PlaywrightPage {
  goto(url: string): Promise<unknown>;
  reload(): Promise<unknown>;
  frames(): PlaywrightFrame[];
  locator(selector: string): { first(): { click(): Promise<void>; waitFor(options?: { timeout?: number }): Promise<void> } };
  screenshot(options: { path: string }): Promise<unknown>;
  waitForTimeout(ms: number): Promise<void>;
}
interface PlaywrightCdp {
  send(method: string, params?: object): Promise<unknown>;
}
interface PlaywrightBrowser {
  newPage(options: object): Promise<PlaywrightPage>;
  newBrowserCDPSession(): Promise<PlaywrightCdp>;
  close(): Promise<void>;
}
interface PlaywrightChromium {
  launch(options: object): Promise<PlaywrightBrowser>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** What the gallery page says about itself (data attributes on #app, see src/webview/gallery/main.ts). */
interface PageFigures {
  readonly timeOrigin: number;
  readonly firstScreenAt: number;
  readonly itemsReceivedAt: number;
  readonly firstScreenCells: number;
  readonly thumbnailsRequested: number;
  readonly thumbnailsFromCache: number;
  readonly domCells: number;
  /** The page's own marks and its script and style loads, ms after its time origin: "name@ms". */
  readonly timeline: string;
}

/** The gallery page's frame, once its first screen is painted. */
async function galleryFrame(page: PlaywrightPage, timeoutMs = 60_000): Promise<{ frame: PlaywrightFrame; figures: PageFigures }> {
  return until(
    'the gallery webview to paint its first screen',
    async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached()) continue;
        const figures = await frame
          .evaluate(() => {
            const app = document.getElementById('app');
            if (!app?.dataset.metrics || !document.querySelector('.grid')) return undefined;
            const metrics = JSON.parse(app.dataset.metrics) as { firstScreenMs: number; itemsReceivedMs: number; firstScreenCells: number };
            return {
              timeOrigin: performance.timeOrigin,
              firstScreenAt: performance.timeOrigin + metrics.firstScreenMs,
              itemsReceivedAt: performance.timeOrigin + metrics.itemsReceivedMs,
              firstScreenCells: metrics.firstScreenCells,
              thumbnailsRequested: Number(app.dataset.thumbnailsRequested),
              thumbnailsFromCache: Number(app.dataset.thumbnailsFromCache),
              domCells: Number(app.dataset.domCells),
              timeline: [
                ...performance.getEntriesByType('navigation').map((entry) => {
                  const nav = entry as PerformanceNavigationTiming;
                  return `${nav.name.split('/').pop()?.slice(0, 20)}:worker@${Math.round(nav.workerStart)},fetch@${Math.round(nav.fetchStart)},response@${Math.round(nav.responseStart)}-${Math.round(nav.responseEnd)},dcl@${Math.round(nav.domContentLoadedEventEnd)}`;
                }),
                ...performance.getEntriesByType('resource').filter((entry) => /\.(js|css|ttf)$/.test(entry.name)).map((entry) => `${entry.name.split('/').pop()}@${Math.round(entry.startTime)}-${Math.round((entry as PerformanceResourceTiming).responseEnd)}`),
                ...performance.getEntriesByType('mark').map((entry) => `${entry.name}@${Math.round(entry.startTime)}`),
              ].join(' '),
            };
          })
          .catch(() => undefined);
        if (figures) return { frame, figures };
      }
      return undefined;
    },
    timeoutMs,
  );
}

/** Back to the explorer, a reload, the window left to finish starting, then the gallery's icon. */
async function openSettled(page: PlaywrightPage, userData: string, log: (line: string) => void, how: string): Promise<FirstScreen> {
  await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
  await page.waitForTimeout(1_000);
  const startups = startupsDone(userData);
  await page.reload();
  log(`gallery: open in a settled window (after a reload, once the extension host is idle), ${how}…`);
  const opened = await openGallery(page, () => settledWindow(page, userData, startups, log));
  log(`gallery: settled page timeline, ${how} (ms after the page started, ${opened.pageStartMs} ms after the click): ${opened.timeline}`);
  return opened;
}

/** Time for the workbench to finish starting (extension host, restored views) before the click: a user opens the gallery in a window that is up. */
const SETTLE_MS = 4_000;

async function openGallery(page: PlaywrightPage, beforeClick: () => Promise<void> = async () => {}): Promise<FirstScreen> {
  const icon = page.locator('.activitybar [aria-label^="AIGC Image Studio"]').first();
  await icon.waitFor({ timeout: 60_000 });
  await page.waitForTimeout(SETTLE_MS);
  await beforeClick();
  const clickedAt = Date.now();
  await icon.click();
  const { figures } = await galleryFrame(page);
  return {
    pageStartMs: figures.timeOrigin - clickedAt,
    firstScreenMs: figures.firstScreenAt - clickedAt,
    itemsReceivedMs: figures.itemsReceivedAt - clickedAt,
    firstScreenCells: figures.firstScreenCells,
    thumbnailsRequested: figures.thumbnailsRequested,
    thumbnailsFromCache: figures.thumbnailsFromCache,
    domCells: figures.domCells,
    timeline: figures.timeline,
  };
}

/** test/bench/webview-floor: a webview view that draws one answer from its host (VS Code's own cost of a view). */
const FLOOR_EXTENSION = path.join(__dirname, 'webview-floor');

/** Click to the comparison view's page having painted its host's answer, ms. */
export interface FloorScreen {
  readonly pageStartMs: number;
  readonly paintedMs: number;
}

async function openFloor(page: PlaywrightPage, beforeClick: () => Promise<void> = async () => {}): Promise<FloorScreen> {
  const icon = page.locator('.activitybar [aria-label^="Webview Floor"]').first();
  await icon.waitFor({ timeout: 60_000 });
  await page.waitForTimeout(SETTLE_MS);
  await beforeClick();
  const clickedAt = Date.now();
  await icon.click();
  return until('the comparison webview view to paint', async () => {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      const figures = await frame
        .evaluate(() => {
          const painted = document.getElementById('app')?.dataset.paintedMs;
          return painted === undefined ? undefined : { timeOrigin: performance.timeOrigin, paintedAt: performance.timeOrigin + Number(painted) };
        })
        .catch(() => undefined);
      if (figures) return { pageStartMs: figures.timeOrigin - clickedAt, paintedMs: figures.paintedAt - clickedAt };
    }
    return undefined;
  });
}

/** After the extension host says its startup activations are done: the rest of a window coming up (restored views, first paints). */
const SETTLED_EXTRA_MS = 3_000;
const STARTUP_DONE = 'Eager extensions activated';

/** How many times an extension host of this profile has finished its startup activations (each window load writes it once to its exthost log). */
function startupsDone(userData: string): number {
  const logs = path.join(userData, 'logs');
  if (!existsSync(logs)) return 0;
  return readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((name) => /exthost[^/]*\.log$/.test(name))
    .reduce((sum, name) => sum + (readFileSync(path.join(logs, name), 'utf8').split(STARTUP_DONE).length - 1), 0);
}

/** Waits until the window's extension host has finished starting (one more startup logged than `before`), then SETTLED_EXTRA_MS. */
async function settledWindow(page: PlaywrightPage, userData: string, before: number, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const done = await until('the extension host to finish starting', async () => (startupsDone(userData) > before ? true : undefined), 30_000, 100).catch(() => false);
  log(done ? `gallery: extension host started ${Date.now() - started} ms after the icon appeared (+4 s before)` : `gallery: no "${STARTUP_DONE}" in the extension host log within 30 s; clicking anyway`);
  await page.waitForTimeout(SETTLED_EXTRA_MS);
}

/** PSS of every renderer process, by pid. */
async function rendererMemory(cdp: PlaywrightCdp): Promise<Map<number, number>> {
  return new Map((await rendererPids(cdp)).map((pid) => [pid, pssOf(pid) ?? 0]));
}

async function pageMemory(frame: PlaywrightFrame, cdp: PlaywrightCdp, before: ReadonlyMap<number, number>): Promise<PageMemory> {
  const inPage = await frame.evaluate(() => {
    const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
    const decoded = [...document.querySelectorAll<HTMLCanvasElement>('.cell canvas')].reduce((sum, canvas) => sum + canvas.width * canvas.height * 4, 0);
    return { jsHeapBytes: heap, domNodes: document.getElementsByTagName('*').length, decodedThumbnailBytes: decoded };
  });
  const now = await rendererMemory(cdp);
  const sum = (memory: ReadonlyMap<number, number>) => [...memory.values()].reduce((a, b) => a + b, 0);
  return { ...inPage, rendererPssGrowth: sum(now) - sum(before), ownProcess: [...now.keys()].some((pid) => !before.has(pid)) };
}

async function rendererPids(cdp: PlaywrightCdp): Promise<number[]> {
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  return info.processInfo.filter((process) => process.type === 'renderer').map((process) => process.id);
}

function pssOf(pid: number): number | undefined {
  try {
    const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Scrolls the grid one screen at a time, waiting for each screen's thumbnails. (A string: tsx
 * would wrap named inner functions in a helper the page does not have.)
 */
async function scrollScreens(frame: PlaywrightFrame, screens: number): Promise<ScrollFigures> {
  return frame.evaluate(`(async () => {
    const grid = document.querySelector('.grid');
    const app = document.getElementById('app');
    const seen = new Set();
    for (let screen = 0; screen <= ${screens}; screen++) {
      if (screen > 0) grid.scrollTop += grid.clientHeight;
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      while (grid.querySelector('.cell:not(.cell--loaded):not(.cell--failed)')) await new Promise((resolve) => setTimeout(resolve, 10));
      const view = grid.getBoundingClientRect();
      for (const cell of grid.querySelectorAll('.cell')) {
        const box = cell.getBoundingClientRect();
        if (box.bottom > view.top && box.top < view.bottom) seen.add(cell.dataset.id);
      }
    }
    return { screens: ${screens}, thumbnailsRequested: Number(app.dataset.thumbnailsRequested), domCells: Number(app.dataset.domCells), itemsPassed: seen.size };
  })()`) as unknown as Promise<ScrollFigures>;
}

async function jumpToEnd(frame: PlaywrightFrame): Promise<{ thumbnailsRequested: number; domCells: number }> {
  return frame.evaluate(async () => {
    const grid = document.querySelector<HTMLElement>('.grid');
    const app = document.getElementById('app');
    if (!grid || !app) throw new Error('no grid');
    grid.scrollTop = grid.scrollHeight;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    while (grid.querySelector('.cell:not(.cell--loaded):not(.cell--failed)')) await new Promise((resolve) => setTimeout(resolve, 10));
    return { thumbnailsRequested: Number(app.dataset.thumbnailsRequested), domCells: Number(app.dataset.domCells) };
  });
}

export async function runGalleryBench({ count, log }: GalleryBenchOptions): Promise<GalleryBenchResult> {
  const { entry, nodeBin, chromium } = offlineRuntime<PlaywrightChromium>();
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

  const workspace = path.join(repo, 'bench/tmp', `gallery-${count}`);
  log(`gallery: preparing ${count} images of 1024×1024 in ${path.relative(repo, workspace)} (kept for the next run)…`);
  await ensureGalleryFixture(workspace, count, 1024, (line) => log(`gallery: ${line}`));

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'studio-gallery-bench-'));
  const userData = path.join(tmp, 'user-data');
  mkdirSync(path.join(userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(userData, 'User/settings.json'),
    JSON.stringify({ 'git.openRepositoryInParentFolders': 'never', 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' }),
  );
  // The comparison view as an installed extension (the web workbench takes one development path).
  cpSync(FLOOR_EXTENSION, path.join(tmp, 'extensions/bench.webview-floor-0.0.1'), { recursive: true });
  const port = await freePort();
  let server: ChildProcess | undefined;
  let browser: PlaywrightBrowser | undefined;
  try {
    server = spawn(
      nodeBin,
      [entry, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions'),
        '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data'), XDG_CACHE_HOME: path.join(tmp, 'xdg-cache') },
      },
    );
    const started = server;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      started.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('HTTP server listening on')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`code-server exited (${code})`)));
    });

    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
      env: { ...process.env, HOME: path.join(tmp, 'home'), XDG_CONFIG_HOME: path.join(tmp, 'home/.config'), XDG_CACHE_HOME: path.join(tmp, 'home/.cache') },
    });
    const cdp = await browser.newBrowserCDPSession();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [['extensionDevelopmentPath', remote(repo)], ['skipWelcome', 'true']];
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);

    log('gallery: cold open (fresh profile, index built from the files)…');
    const cold = await openGallery(page);
    log(`gallery: cold page timeline (ms after the page started, ${cold.pageStartMs} ms after the click): ${cold.timeline}`);

    // Back to the explorer, then reload: the next open reads the cached index.
    await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
    await page.waitForTimeout(1_000);
    await page.reload();
    log('gallery: warm open (after a window reload, index from workspaceState)…');
    let before = new Map<number, number>();
    const warm = await openGallery(page, async () => {
      before = await rendererMemory(cdp); // the baseline: the workbench without the gallery
    });
    log(`gallery: warm page timeline (ms after the page started, ${warm.pageStartMs} ms after the click): ${warm.timeline}`);
    const { frame } = await galleryFrame(page);
    const memoryFirstScreen = await pageMemory(frame, cdp, before);

    const screenshot = path.join(repo, 'test-output/bench/gallery.png');
    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });

    log('gallery: scrolling…');
    const scroll = await scrollScreens(frame, 10);
    const end = await jumpToEnd(frame);
    const memoryAfterScroll = await pageMemory(frame, cdp, before);

    // Once more in a window that has finished starting: what the click itself costs. The page keeps
    // its place (webview state), so this open goes back to the end of the list, where it was left.
    const settledRestoring = await openSettled(page, userData, log, 'restoring its place at the end of the list');
    // And from the top, as a gallery that was not scrolled opens.
    const { frame: restored } = await galleryFrame(page);
    await restored.evaluate(async () => {
      const grid = document.querySelector<HTMLElement>('.grid');
      if (grid) grid.scrollTop = 0;
      await new Promise((resolve) => setTimeout(resolve, 500)); // the page saves its place 200 ms after a scroll
    });
    const settled = await openSettled(page, userData, log, 'at the top');

    // The comparison: the least a webview view can do, opened the same two ways.
    await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
    await page.waitForTimeout(1_000);
    await page.reload();
    log('gallery: the comparison webview view, right after a reload…');
    const floorWarm = await openFloor(page);
    await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
    await page.waitForTimeout(1_000);
    const floorStartups = startupsDone(userData);
    await page.reload();
    log('gallery: the comparison webview view, in a settled window…');
    const floorSettled = await openFloor(page, () => settledWindow(page, userData, floorStartups, log));
    return { count, cold, warm, settled, settledRestoring, floorWarm, floorSettled, memoryFirstScreen, scroll, end, memoryAfterScroll, screenshot };
  } finally {
    await browser?.close().catch(() => undefined);
    if (server?.pid) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    // BENCH_KEEP=1 keeps the profile, with the extension's log, for a look at where time went.
    if (process.env.BENCH_KEEP === '1') log(`gallery: kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}
