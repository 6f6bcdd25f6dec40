// Which failed calls may be repeated, and how often: the rules that decide between billing twice,
// losing a finished job, and waiting sensibly.
import * as assert from 'node:assert/strict';
import { attemptsAllowed, DEFAULT_RETRY_POLICY as policy } from '../../src/core/jobs/retry';
import { cloudError, networkError, timeoutError, httpStatusError } from '../../src/core/tencent/error-catalog';

describe('retry rules', () => {
  it('never repeats a submit that may have reached the cloud, whatever the error', () => {
    for (const error of [networkError(new Error('reset'), true), timeoutError(30_000, true), httpStatusError(502)]) {
      assert.equal(attemptsAllowed(error, 'submit', policy), 1, error.code);
    }
  });

  it('repeats a submit that certainly did not leave, a few times', () => {
    assert.equal(attemptsAllowed(networkError(new Error('refused'), false), 'submit', policy), policy.transientAttempts);
  });

  it('gives a status query the most patience: its job exists and is billed', () => {
    for (const error of [networkError(new Error('reset'), true), networkError(new Error('ENOTFOUND'), false), timeoutError(30_000, true), httpStatusError(503)]) {
      assert.equal(attemptsAllowed(error, 'query', policy), policy.queryAttempts, error.code);
    }
    assert.ok(policy.queryAttempts > policy.transientAttempts);
  });

  it('keeps downloads to the transient bound, and repeats nothing on a refusal', () => {
    assert.equal(attemptsAllowed(networkError(new Error('reset'), true), 'download', policy), policy.transientAttempts);
    assert.equal(attemptsAllowed(cloudError('AuthFailure.SignatureFailure', 'bad'), 'query', policy), 1);
    assert.equal(attemptsAllowed(cloudError('OperationDenied.TextIllegalDetected', 'refused'), 'submit', policy), 1);
  });

  it('waits out rate limits and a full pool on any call', () => {
    assert.equal(attemptsAllowed(cloudError('RequestLimitExceeded', 'slow down'), 'query', policy), policy.limitAttempts);
    assert.equal(attemptsAllowed(cloudError('RequestLimitExceeded.JobNumExceed', 'busy'), 'submit', policy), policy.limitAttempts);
  });
});
