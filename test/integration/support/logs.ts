// The extension's log as VS Code wrote it to disk, for tests that check what reaches the log (the
// RequestIds) and what never may (secrets, base64). A LogOutputChannel named N of extension E is
// written to <logs>/<session>/exthost<k>/<E>/<N>.log; the runners tell the tests where <logs> is
// (STUDIO_TEST_LOGS_DIR: the logs folder of the user-data-dir they created).
import * as fs from 'node:fs';
import * as path from 'node:path';
import packageJson from '../../../package.json';

export const EXTENSION_ID = `${packageJson.publisher}.${packageJson.name}`;

/** Every log file of this run written by our extension's channel named `channelName`. */
export function extensionLogFiles(channelName = 'AIGC Image Studio'): string[] {
  const logs = process.env.STUDIO_TEST_LOGS_DIR;
  if (!logs) throw new Error('STUDIO_TEST_LOGS_DIR is not set (the runners set it)');
  if (!fs.existsSync(logs)) return [];
  return fs
    .readdirSync(logs, { recursive: true, encoding: 'utf8' })
    .filter((rel) => path.basename(rel) === `${channelName}.log` && path.basename(path.dirname(rel)).toLowerCase() === EXTENSION_ID.toLowerCase())
    .map((rel) => path.join(logs, rel))
    .sort();
}

/**
 * The text of those files ('' before anything was logged). VS Code writes log lines
 * asynchronously: wait for a line you expect (support/wait.ts waitFor) before asserting on absences.
 */
export function extensionLogText(channelName?: string): string {
  return extensionLogFiles(channelName)
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('');
}
