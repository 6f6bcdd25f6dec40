/**
 * `npm run fake-cloud -- --port 8787 [--secret-id ID --secret-key KEY] [--session-token T]
 *  [--job-seconds S] [--url-ttl-seconds S] [--fault NAME ...]`
 *
 * Prints `fake-cloud listening on http://127.0.0.1:PORT` on its own line once it accepts
 * requests. Ctrl+C / SIGTERM closes it cleanly.
 */
import { parseArgs } from 'node:util';
import { startFakeCloud, TEST_CREDENTIALS, type FakeCloudOptions } from './index';

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`);
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'secret-id': { type: 'string' },
      'secret-key': { type: 'string' },
      'session-token': { type: 'string' },
      'job-seconds': { type: 'string' },
      'url-ttl-seconds': { type: 'string' },
      fault: { type: 'string', multiple: true },
    },
    strict: true,
  });
  if ((values['secret-id'] === undefined) !== (values['secret-key'] === undefined)) {
    throw new Error('give both --secret-id and --secret-key, or neither');
  }
  const options: FakeCloudOptions = {
    port: numberOption('port', values.port),
    secretId: values['secret-id'],
    secretKey: values['secret-key'],
    sessionToken: values['session-token'],
    jobSeconds: numberOption('job-seconds', values['job-seconds']),
    resultUrlTtlSeconds: numberOption('url-ttl-seconds', values['url-ttl-seconds']),
    faults: values.fault ?? [],
  };
  const cloud = await startFakeCloud(options);
  console.log(`fake-cloud listening on ${cloud.url}`);
  if (values['secret-id'] === undefined) {
    // The documented fake test pair, printed so a demo can be set up by copy and paste.
    console.log(`accepting the test key pair: SecretId ${TEST_CREDENTIALS.secretId} SecretKey ${TEST_CREDENTIALS.secretKey}`);
  }
  if (options.faults?.length) console.log(`faults: ${options.faults.join(' ')}`);
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    cloud.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`fake-cloud: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
