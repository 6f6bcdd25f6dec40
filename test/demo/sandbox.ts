// Everything the demo writes lives in one fresh temporary folder: the sample workspace (copied from
// the checked-in template, so a run never touches the repository's tracked files), and VS Code's
// user data and extensions folders, so the user's own profile, settings and extensions are neither
// used nor changed. Removing the folder removes every trace of the run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TEMPLATE = path.join(__dirname, 'workspace');

/** Settings of the demo's profile besides the endpoint: a first window without welcome page, tips, trust prompt or update checks. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // Desktop VS Code newer than the offline runtime opens a chat side bar in a fresh profile; the
  // demo is about the editor and the task panel.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export interface Sandbox {
  readonly root: string;
  /** The sample workspace: prompts.md; images go to its assets/generated/. */
  readonly workspace: string;
  readonly userData: string;
  readonly extensions: string;
  /** Where the editor's own output goes (shown when it stops unexpectedly). */
  readonly log: string;
  /** The last lines of the editor's log, for the message when it stops unexpectedly. */
  logTail(lines?: number): string;
  remove(): void;
}

/** Makes the folder, copies the sample workspace in and writes the user settings (endpoint: the simulated cloud). */
export function createSandbox(endpoint: string): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aigc-image-studio-demo-'));
  const workspace = path.join(root, 'workspace');
  const userData = path.join(root, 'user-data');
  fs.cpSync(TEMPLATE, workspace, { recursive: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User/settings.json'), `${JSON.stringify({ ...QUIET_SETTINGS, 'imageStudio.endpoint': endpoint }, null, 2)}\n`);
  const log = path.join(root, 'editor.log');
  return {
    root,
    workspace,
    userData,
    extensions: path.join(root, 'extensions'),
    log,
    logTail: (lines = 15) => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : ''),
    remove: () => fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 }),
  };
}
