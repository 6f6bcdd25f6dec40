// The window both runners open for the tests (offline code-server and @vscode/test-electron): a
// fresh workspace folder and a fresh user profile, so no run sees files or settings of an earlier one.
import fs from 'node:fs';
import path from 'node:path';

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** An empty workspace folder with a .vscode/settings.json the tests may edit (support/settings.ts). */
export function createTestWorkspace(dir) {
  writeJson(path.join(dir, '.vscode/settings.json'), {});
  return dir;
}

/** User settings that keep the welcome page, tips and the trust prompt out of tests and screenshots. */
export function writeUserSettings(userDataDir) {
  writeJson(path.join(userDataDir, 'User/settings.json'), {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
  });
}
