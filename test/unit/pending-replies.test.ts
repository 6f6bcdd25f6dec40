import * as assert from 'node:assert/strict';
import { PendingReplies } from '../../src/vscode/pending-replies';

describe('PendingReplies (requests a webview page answers)', () => {
  it('resolves each request with the answer to its own id, and ignores answers nobody waits for', async () => {
    const replies = new PendingReplies<string>('the page');
    const sent: number[] = [];
    const first = replies.ask('report', async (id) => (sent.push(id), true));
    const second = replies.ask('report', async (id) => (sent.push(id), true));
    await Promise.resolve();
    assert.equal(sent.length, 2);
    assert.notEqual(sent[0], sent[1]);
    replies.settle(sent[1]!, 'second');
    replies.settle(sent[0]!, 'first');
    replies.settle(sent[0]!, 'late'); // answered already
    replies.settle(999, 'never asked');
    assert.deepEqual(await Promise.all([first, second]), ['first', 'second']);
  });

  it('fails at once when the request could not be posted, and when the page goes away', async () => {
    const replies = new PendingReplies<void>('the gallery');
    await assert.rejects(replies.ask('echo', async () => false), /^Error: the gallery could not be sent echo$/);
    const waiting = replies.ask('echo', async () => true);
    replies.rejectAll();
    await assert.rejects(waiting, /^Error: the gallery was hidden or closed before it answered$/);
  });
});
