// Issue 5's security probes that need no editor: which endpoints may carry a signed request in
// plain http (only this computer's loopback, by name or address, never a look-alike), and that a
// refused endpoint never repeats the user name and password it carried.
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { isLoopbackHost, parseEndpointOverride } from '../../src/core/tencent/endpoint';
import { StudioError } from '../../src/core/tencent/errors';

function refusal(endpoint: string): StudioError {
  try {
    parseEndpointOverride(endpoint);
  } catch (error) {
    assert.ok(error instanceof StudioError && error.code === 'Client.InvalidEndpoint', `${endpoint}: ${String(error)}`);
    return error;
  }
  assert.fail(`${endpoint} was accepted`);
}

describe('security probes: the endpoint', () => {
  it('accepts plain http for loopback names and addresses, in any spelling the URL parser normalises', () => {
    for (const [endpoint, host] of [
      ['http://[::1]', '[::1]'],
      ['http://[0:0:0:0:0:0:0:1]:8080', '[::1]'],
      ['HTTP://LOCALHOST:1', 'localhost'],
      ['http://127.0.0.1:9000', '127.0.0.1'],
      ['http://127.255.0.1', '127.255.0.1'],
      ['http://2130706433', '127.0.0.1'], // one number: 127.0.0.1
      ['http://0x7f.1', '127.0.0.1'],
    ]) {
      assert.equal(parseEndpointOverride(endpoint!).host.replace(/:\d+$/, ''), host, endpoint);
    }
  });

  it('refuses plain http to look-alikes and to names a DNS server could answer for', () => {
    for (const endpoint of [
      'http://127.0.0.1.evil.com',
      'http://localhost.evil.com',
      'http://localhost.', // fully qualified: asks DNS on resolvers without a localhost rule
      'http://a.localhost',
      'http://[::ffff:127.0.0.1]', // IPv4-mapped: whether it stays on this computer depends on the stack
      'http://0.0.0.0',
      'http://evil.com\\@127.0.0.1', // the URL parser reads the backslash as a slash: host evil.com
      'http://evil.com#@127.0.0.1',
    ]) {
      refusal(endpoint);
    }
    assert.ok(!isLoopbackHost('localhost.'));
    assert.ok(!isLoopbackHost('a.localhost'));
  });

  it('refuses a user name or password in the endpoint, https or loopback, without repeating them', () => {
    for (const endpoint of ['https://u:p4ssw0rd@gw.example.com', 'http://localhost@evil.com', 'http://u:p4ssw0rd@127.0.0.1:9', 'https://p4ssw0rd@gw.example.com']) {
      const error = refusal(endpoint);
      assert.ok(!inspect(error, { depth: 5 }).includes('p4ssw0rd'), endpoint);
      assert.match(error.explanation.en, /user name or password/);
    }
  });
});
