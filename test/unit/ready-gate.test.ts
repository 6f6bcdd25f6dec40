import * as assert from 'node:assert/strict';
import { ReadyGate } from '../../src/vscode/ready-gate';

/** Whether `promise` has settled by the time queued callbacks have run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ReadyGate (the webviews\' ready handshake)', () => {
  it('lets waiting callers through once the page is ready', async () => {
    const gate = new ReadyGate();
    const waiting = gate.promise;
    assert.equal(await settled(waiting), false);
    gate.open();
    assert.equal(await settled(waiting), true);
  });

  it('keeps a gate nobody got through when the page goes away before it was ready, so its callers get through on the next ready', async () => {
    const gate = new ReadyGate();
    const waiting = gate.promise;
    gate.reset(); // hidden (or reloaded) between `ready` and the answer being delivered
    assert.equal(await settled(waiting), false);
    gate.open(); // the page came back and said `ready` again
    assert.equal(await settled(waiting), true, 'the caller who waited before the reset is let through');
  });

  it('starts over once it had opened: later callers wait for the next ready', async () => {
    const gate = new ReadyGate();
    gate.open();
    gate.reset();
    const later = gate.promise;
    assert.equal(await settled(later), false);
    gate.open();
    assert.equal(await settled(later), true);
  });
});
