// What the user was told about a task, read from the extension's log: generation.ts logs the
// sentence of a failed task's notification word for word ("Task <id> failed; shown to the user: ...").
import * as assert from 'node:assert/strict';
import { extensionLogText } from './logs';
import { waitFor } from './wait';

/** The sentence shown for the failed task `taskId` (explanation, next step, code and ids). */
export async function toldUser(taskId: string | undefined): Promise<string> {
  assert.ok(taskId, 'the task exists');
  const marker = `Task ${taskId} failed; shown to the user: `;
  const line = await waitFor(`the log line with what the user was told about ${taskId}`, () =>
    extensionLogText()
      .split('\n')
      .find((entry) => entry.includes(marker)),
  );
  return line.slice(line.indexOf(marker) + marker.length);
}

/** Every log line naming the task (transitions, retries, what the user was told). */
export function logLinesOf(taskId: string | undefined): string[] {
  assert.ok(taskId, 'the task exists');
  return extensionLogText()
    .split('\n')
    .filter((line) => line.includes(taskId));
}
