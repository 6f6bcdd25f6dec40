/**
 * `npm run demo [-- --browser --port N --cloud-port N --job-seconds S --no-open --keep]` (--help)
 *
 * A first look at the extension in one command, after `npm ci` on a fresh machine:
 *  1. packages the extension (`npm run package`) and installs the .vsix into a fresh profile;
 *  2. starts the simulated Tencent Cloud (test/fake-cloud) in this process, on loopback;
 *  3. makes a temporary sandbox: the sample workspace (test/demo/workspace/prompts.md), VS Code's
 *     user data with `imageStudio.endpoint` set to the simulated cloud, an extensions folder;
 *  4. starts VS Code with the demo credentials in TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY
 *     (the extension's fallback when SecretStorage has none): the desktop VS Code when `code` is on
 *     PATH (unless --browser), else the offline runtime (code-server from .vscode-offline/, installed
 *     by test/runtime/install.sh on first use) in the browser;
 *  5. prints what to try, and waits.
 *
 * Why a packaged .vsix and not the development folder: the demo shows what a user installs, and
 * packaging takes about 2 s (esbuild and vsce, no dependencies to collect), so it runs every time
 * instead of guessing from file times whether dist/ is stale. code-server also takes a development
 * extension only in the workbench URL's payload, which would make the printed address a long one
 * and the window an "Extension Development Host".
 *
 * Ctrl+C (SIGINT), SIGTERM or SIGHUP stop VS Code, delete the sandbox and close the cloud: exit code 0.
 * VS Code (code-server) dying on its own stops the rest with its reason: exit code 1; so does a failed
 * start. Bad options: exit code 2. The demo key pair is fake, but it is still never printed.
 */
import * as path from 'node:path';
import { startFakeCloud, TEST_CREDENTIALS } from '../fake-cloud/index';
import { Cleanup } from './cleanup';
import { findCodeCommand, startDesktopVsCode } from './desktop-vscode';
import type { Editor, Ending } from './editor';
import { startOfflineVsCode } from './offline-vscode';
import { browserCommand, openInBrowser } from './open-browser';
import { type DemoOptions, HELP, parseDemoOptions } from './options';
import { createSandbox, type Sandbox } from './sandbox';
import { runStep } from './steps';

const REPO = path.resolve(__dirname, '../..');
const VSIX = path.join(REPO, 'aigc-image-studio.vsix');

interface Outcome {
  readonly exitCode: number;
  readonly message: string;
}

async function main(): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (process.platform === 'win32') {
    console.error('npm run demo needs Linux or macOS (it stops what it started by process group); on Windows, run it in WSL.');
    return 1;
  }

  const cleanup = new Cleanup();
  const stopRequested = new Promise<Outcome>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => resolve({ exitCode: 0, message: `${signal === 'SIGINT' ? 'Ctrl+C' : signal}: stopping the demo…` }));
    }
  });
  const outcome = await Promise.race([
    stopRequested,
    run(options, cleanup).then(
      (ending): Outcome => ({ exitCode: ending.expected ? 0 : 1, message: `${ending.message}\n[demo] stopping the demo…` }),
      (error: unknown): Outcome => ({
        exitCode: 1,
        message: `the demo could not start: ${error instanceof Error ? error.message : String(error)}\n[demo] stopping what it started…`,
      }),
    ),
  ]);
  (outcome.exitCode === 0 ? console.log : console.error)(`\n[demo] ${outcome.message}`);
  await cleanup.run();
  console.log('[demo] stopped.');
  return outcome.exitCode;
}

/** Starts everything (each part registered with `cleanup` as it starts); resolves when VS Code ends by itself. */
async function run(options: DemoOptions, cleanup: Cleanup): Promise<Ending> {
  const code = options.browser ? undefined : findCodeCommand(process.env);
  await runStep('packaging the extension (npm run package)', 'npm', ['run', 'package'], { cleanup, cwd: REPO });

  const cloud = await startFakeCloud({ port: options.cloudPort, jobSeconds: options.jobSeconds });
  cleanup.add('the simulated cloud', () => cloud.close());
  const sandbox = createSandbox(cloud.url);
  cleanup.add('the temporary folder', () => (options.keep ? console.log(`[demo] kept the workspace: ${sandbox.workspace}`) : sandbox.remove()));

  const launch = { repo: REPO, sandbox, vsix: VSIX, environment: editorEnvironment(), cleanup };
  const editor = code
    ? await startDesktopVsCode({ ...launch, code })
    : await startOfflineVsCode({ ...launch, runtime: process.env.VSCODE_OFFLINE_DIR ?? path.join(REPO, '.vscode-offline'), port: options.port });
  const opener = editor.url && options.open ? browserCommand(process.env) : undefined;
  console.log(readyText(editor, cloud.url, sandbox, options, opener));
  if (editor.url && opener) openInBrowser(opener, editor.url);
  return editor.ended;
}

/** The user's environment with the demo key pair as the SDK variables, and without npm's own variables. */
function editorEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // `npm run` adds npm_config_* and friends; a terminal in the demo window should not inherit them.
    if (!/^npm_/i.test(name)) environment[name] = value;
  }
  environment.TENCENTCLOUD_SECRET_ID = TEST_CREDENTIALS.secretId;
  environment.TENCENTCLOUD_SECRET_KEY = TEST_CREDENTIALS.secretKey;
  // A real session token of the user's would be sent with the demo pair and refused.
  delete environment.TENCENTCLOUD_SESSION_TOKEN;
  return environment;
}

function readyText(editor: Editor, cloudUrl: string, sandbox: Sandbox, options: DemoOptions, opener: string | undefined): string {
  const steps = [
    editor.url === undefined
      ? 'Switch to the new VS Code window.'
      : opener
        ? `Switch to the browser tab with VS Code (or open ${editor.url} yourself).`
        : `Open ${editor.url} in a browser on this machine (Chrome, Edge or Firefox).`,
    'In the Explorer, open prompts.md.',
    'Select a prompt line, right-click it and choose "Generate Image from Selection".',
    `Watch the AIGC Image Studio panel: Queued, Submitting, Running, Saved (a simulated job takes ${options.jobSeconds} s).\n` +
      '     The image is saved in assets/generated/ and its Markdown link is inserted under the line.',
    'Generate from two lines in a row: the second waits its turn (one job at a time, like a new account).',
    'Click the AIGC Image Studio icon in the activity bar: the gallery of the images made.',
  ];
  const stop = editor.url === undefined ? 'press Ctrl+C here, or close the VS Code window' : 'press Ctrl+C here';
  return [
    '',
    'AIGC Image Studio demo is running.',
    '',
    ...[
      [editor.name, editor.url ?? 'a new window, with a profile of its own'],
      ['Simulated Tencent Cloud', `${cloudUrl}  (demo credentials: nothing leaves this machine, nothing is billed)`],
      ['Workspace', sandbox.workspace],
    ].map(([label, value]) => `  ${label!.padEnd(24)}  ${value}`),
    '',
    'What to do:',
    ...steps.map((step, index) => `  ${index + 1}. ${step}`),
    '',
    `To stop, ${stop}. ${options.keep ? 'The workspace is kept.' : 'The workspace and its images are deleted (--keep keeps them).'}`,
    '',
  ].join('\n');
}

main().then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
