// The demo's command line. Every option has a default that suits a first look; the ports are for a
// machine where something else expects them, the job time for a slower or faster show.
import { parseArgs } from 'node:util';

export interface DemoOptions {
  readonly help: boolean;
  /** The browser VS Code even when a desktop `code` is installed. */
  readonly browser: boolean;
  /** 0 = a free port. */
  readonly port: number;
  readonly cloudPort: number;
  readonly jobSeconds: number;
  readonly open: boolean;
  readonly keep: boolean;
}

export const HELP = `npm run demo [-- options]

Starts a simulated Tencent Cloud on this machine and a VS Code with AIGC Image Studio, a sample
workspace with prompts and demo credentials, then tells you what to try. Ctrl+C stops it all.
Nothing is sent to Tencent Cloud and nothing is billed.

Options:
  --browser          use the offline VS Code in the browser even if the \`code\` command is installed
  --port N           port of the browser VS Code (default: a free one)
  --cloud-port N     port of the simulated cloud (default: a free one)
  --job-seconds S    how long each simulated image job takes (default: 3)
  --no-open          print the browser address without opening a browser
  --keep             keep the temporary workspace (and the images made) after stopping
  -h, --help         show this help
`;

export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      browser: { type: 'boolean', default: false },
      port: { type: 'string', default: '0' },
      'cloud-port': { type: 'string', default: '0' },
      'job-seconds': { type: 'string', default: '3' },
      'no-open': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    help: values.help,
    browser: values.browser,
    port: port('--port', values.port),
    cloudPort: port('--cloud-port', values['cloud-port']),
    jobSeconds: seconds('--job-seconds', values['job-seconds']),
    open: !values['no-open'],
    keep: values.keep,
  };
}

function port(name: string, value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > 65535) throw new Error(`${name} must be a port number (1-65535, or 0 for a free one), not "${value}"`);
  return number;
}

function seconds(name: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 600) throw new Error(`${name} must be a number of seconds from 0 to 600, not "${value}"`);
  return number;
}
