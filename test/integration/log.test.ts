// The extension's log (src/vscode/log.ts): what reaches the "AIGC Image Studio" channel's file on
// disk has the RequestIds support asks for, and never a secret or a base64 payload, including after
// a model that returns its image inline as base64.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GenerateOutcome } from '../../src/vscode/commands/generation';
import { sanitizeLogMessage } from '../../src/vscode/log';
import { TEST_CREDENTIALS, useFakeCloud } from './support/cloud';
import { extensionLogText } from './support/logs';
import { removeAll } from './support/workspace';
import { waitFor } from './support/wait';

/** Longer runs of base64 characters than any id, hash or word the log may legitimately hold. */
const BASE64_RUN = /[A-Za-z0-9+/]{64,}={0,2}/;

describe('log', () => {
  it('sanitizeLogMessage drops base64 payloads and masks credentials, and keeps ids and paths readable', () => {
    const png = Buffer.alloc(300, 7).toString('base64');
    assert.equal(sanitizeLogMessage(`reply {"ResultImage":"${png}"}`), `reply {"ResultImage":"[base64 ${png.length} chars]"}`);
    assert.equal(sanitizeLogMessage(`img data:image/png;base64,${png} end`), `img [base64 ${'data:image/png;base64,'.length + png.length} chars] end`);
    const masked = sanitizeLogMessage(`SecretId=${TEST_CREDENTIALS.secretId} SecretKey=${TEST_CREDENTIALS.secretKey} Authorization: TC3-HMAC-SHA256 Credential=AKIDabcd1234/2026-01-01/hunyuan/tc3_request`);
    assert.ok(!masked.includes(TEST_CREDENTIALS.secretKey) && !masked.includes('AKIDabcd1234'), masked);
    const requestId = 'RequestId 6f1b0c7e-2f0a-4c3b-9a55-1d2e3f4a5b6c';
    assert.equal(sanitizeLogMessage(requestId), requestId);
    const saved = 'Task 3 saved -> assets/generated/a-red-fox-in-the-snow-at-dawn-with-mountains-behind-20260101-120000.png';
    assert.equal(sanitizeLogMessage(saved), saved);
  });

  describe('after a generation whose image came back inline as base64', () => {
    const fake = useFakeCloud({ jobSeconds: 0.2, settings: { model: 'hunyuan-text-to-image-lite' } });
    let outcome: GenerateOutcome | undefined;

    after(async () => {
      for (const file of outcome?.files ?? []) await removeAll(file);
    });

    it('has the task\'s RequestId and no base64 run or secret', async () => {
      outcome = await vscode.commands.executeCommand<GenerateOutcome>('imageStudio.generate', 'a red fox in the snow, log test');
      assert.equal(outcome.state, 'saved', JSON.stringify(outcome));
      assert.deepEqual(fake.cloud.stats().submits, { TextToImageLite: 1 }, 'control: the sync model (base64 reply) was used');
      const tasks = await vscode.commands.executeCommand<{ id: string }[]>('imageStudio.showTasks');
      assert.ok(tasks.some((task) => task.id === outcome!.taskId));
      const log = await waitFor('the saved task in the log', () => {
        const text = extensionLogText();
        return new RegExp(`Task ${outcome!.taskId} \\S+ saved \\[RequestId [0-9a-f-]{36}\\]`).test(text) && text;
      });
      assert.doesNotMatch(log, BASE64_RUN);
      assert.ok(!log.includes(TEST_CREDENTIALS.secretKey), 'the SecretKey is never logged');
    });
  });
});
