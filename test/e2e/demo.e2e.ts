// `npm run demo` as a person runs it: the command in a terminal of its own (a process group of its
// own, as a shell gives a foreground job), the address it prints opened in Chromium, prompts of the
// sample workspace generated from the right-click menu, then Ctrl+C (SIGINT to that group, as the
// terminal sends it). This is the offline-runtime path: no desktop `code` here, and --browser makes sure.
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../integration/support/wait';
import { type Chromium, launchChromium } from './support/browser';
import { Screenshots } from './support/screenshots';
import { waitForCard } from './support/task-panel';
import { contextMenu, editorLineStarting, openFromExplorer, selectLine } from './support/ui';

const repo = path.resolve(__dirname, '../..');
const GENERATE = 'Generate Image from Selection';
/** Two lines of test/demo/workspace/prompts.md. */
const FOX = 'A red fox in fresh snow at dawn, watercolour';
const CAT = '一只戴着红围巾的橘猫在窗台上睡觉，水彩风格';

/** Screenshots share test-output/e2e with the other e2e files; the prefix keeps them apart. */
const shots = new Screenshots(path.join(repo, 'test-output/e2e'));

interface Ready {
  readonly url: string;
  readonly cloudUrl: string;
  readonly workspace: string;
}

class DemoRun {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private output = '';

  constructor(args: readonly string[]) {
    // The command of `npm run demo`, run as npm runs it (sh -c) but without npm around it: npm
    // re-raises a SIGINT it received once its script has ended, so its own exit status is that
    // signal whatever the demo returned; the demo's exit code is what a user's Ctrl+C must get right.
    const script: string = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts.demo;
    this.child = spawn('sh', ['-c', `exec ${script} "$@"`, 'demo', ...args], { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get printed(): string {
    return this.output;
  }

  /** The lines the demo prints once VS Code listens: its address, the cloud's and the workspace. */
  ready(): Promise<Ready> {
    return waitFor(
      'the demo to print its addresses',
      () => {
        if (this.child.exitCode !== null) throw new Error(`the demo exited (${this.child.exitCode}):\n${this.output}`);
        const url = /^ {2}VS Code in the browser\s+(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(this.output)?.[1];
        const cloudUrl = /^ {2}Simulated Tencent Cloud\s+(http:\/\/127\.0\.0\.1:\d+)\s/m.exec(this.output)?.[1];
        const workspace = /^ {2}Workspace\s+(\/.+)$/m.exec(this.output)?.[1];
        return url !== undefined && cloudUrl !== undefined && workspace !== undefined && { url, cloudUrl, workspace };
      },
      // The first run packages the extension and may wait for the CPU; later steps are quick.
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  }

  /** Signals the demo's process group, as a terminal does for Ctrl+C. */
  signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child.pid!, signal);
    } catch {
      // already gone
    }
  }

  /** The code-server the demo started: its child whose command line runs code-server (Linux /proc). */
  codeServerPid(): number {
    const pid = this.child.pid!;
    const children = fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number);
    const server = children.find((child) => fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('code-server'));
    assert.ok(server, `a code-server child among ${children.join(', ')}`);
    return server;
  }
}

/** Whether something accepts TCP connections on the loopback port of `url`. */
function accepts(url: string): Promise<boolean> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The PNG files in the workspace's output folder. */
function savedImages(workspace: string): string[] {
  const folder = path.join(workspace, 'assets/generated');
  return fs.existsSync(folder) ? fs.readdirSync(folder).filter((name) => name.endsWith('.png')) : [];
}

async function expectStoppedAndCleanedUp(ready: Ready): Promise<void> {
  assert.equal(await accepts(ready.url), false, 'code-server no longer accepts connections');
  assert.equal(await accepts(ready.cloudUrl), false, 'the simulated cloud no longer accepts connections');
  assert.equal(fs.existsSync(path.dirname(ready.workspace)), false, `the temporary folder ${path.dirname(ready.workspace)} is removed`);
}

describe('npm run demo', function () {
  let demo: DemoRun | undefined;
  let browser: Chromium | undefined;
  let browserTmp: string | undefined;

  afterEach(async function () {
    this.timeout(40_000);
    if (this.currentTest?.state === 'failed') {
      await shots.takeFailure(browser?.page, this.currentTest.title);
      if (demo) console.log(`      [e2e] the demo printed:\n${demo.printed}`);
    }
    await browser?.context.close().catch(() => undefined);
    if (browserTmp) fs.rmSync(browserTmp, { recursive: true, force: true, maxRetries: 3 });
    // A demo a failed test left running: stop it as a user would, then for good.
    if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
      demo.signal('SIGTERM');
      const ended = await Promise.race([demo.exited, new Promise((resolve) => setTimeout(resolve, 20_000, undefined))]);
      if (!ended) demo.signal('SIGKILL');
    }
    browser = undefined;
    browserTmp = undefined;
    demo = undefined;
  });

  it('opens VS Code in the browser with the sample prompts; two images are generated and saved; Ctrl+C stops everything and exits 0', async function () {
    this.timeout(120_000);
    demo = new DemoRun(['--browser', '--no-open', '--job-seconds', '1']);
    const ready = await demo.ready();
    assert.ok(!demo.printed.includes('FakeCloudTestKey'), 'the demo never prints the SecretKey');

    browserTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-demo-'));
    browser = await launchChromium(browserTmp);
    const { page } = browser;
    // The address exactly as printed: code-server opens the sample workspace there.
    await page.goto(ready.url);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await openFromExplorer(page, 'prompts.md');

    // No credentials dialog: the demo pair comes from the environment the demo gave VS Code.
    await contextMenu(page, await selectLine(page, FOX), GENERATE);
    // As a person does, and because the first command waits for the extension to activate before it
    // reads the selection: the fox's card is on the panel before another line is selected.
    await waitForCard(page, FOX, 'on the panel', () => true);
    await contextMenu(page, await selectLine(page, CAT), GENERATE);
    for (const prompt of [FOX, CAT]) {
      await waitForCard(page, prompt, 'Saved with its image', (card) => card.stateLabel === 'Saved' && card.imagesLoaded === 1);
    }
    await editorLineStarting(page, `![${CAT}]`).waitFor();
    const images = await waitFor('two PNG files in assets/generated of the demo workspace', () => {
      const found = savedImages(ready.workspace);
      return found.length === 2 && found;
    });
    for (const image of images) {
      const bytes = fs.readFileSync(path.join(ready.workspace, 'assets/generated', image));
      assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${image} is a PNG`);
    }
    await shots.take(page, 'demo-1-two-images-saved');

    // Ctrl+C with the browser still on the page, as a person stops it.
    demo.signal('SIGINT');
    const exit = await demo.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, `the demo exits 0 after Ctrl+C; it printed:\n${demo.printed}`);
    assert.match(demo.printed, /Ctrl\+C: stopping the demo/);
    await expectStoppedAndCleanedUp(ready);
  });

  it('stops everything with a message and exit code 1 when code-server dies', async function () {
    this.timeout(90_000);
    demo = new DemoRun(['--browser', '--no-open']);
    const ready = await demo.ready();
    process.kill(-demo.codeServerPid(), 'SIGKILL');
    const exit = await demo.exited;
    assert.deepEqual(exit, { code: 1, signal: null }, `the demo exits 1; it printed:\n${demo.printed}`);
    assert.match(demo.printed, /code-server stopped unexpectedly \(signal SIGKILL\)/);
    await expectStoppedAndCleanedUp(ready);
  });
});
