/**
 * bench/results.md, one block per benchmark section: a run of some sections (BENCH_SECTIONS)
 * replaces their blocks and keeps the others, so every figure there is the latest of its section,
 * with the date it was measured.
 */
const BLOCK = /<!-- section: ([\w-]+) -->\n([\s\S]*?)<!-- \/section -->\n?/g;

const HEADER =
  '# Benchmark results\n\n' +
  '`npm run bench` against the simulated cloud on loopback; the gallery and activation in the offline VS Code ' +
  '(code-server 4.100.3 = VS Code 1.100.3, its Node extension host) with headless Chromium. Each section is ' +
  'replaced by the next run that includes it (`BENCH_SECTIONS`); KB and MB are of 1024.\n';

/** The blocks of a results file, by section. */
export function readBlocks(text: string): Map<string, string> {
  return new Map([...text.matchAll(BLOCK)].map((match) => [match[1]!, match[2]!]));
}

/** The results file with `fresh` blocks replacing or joining the blocks of `previous`, in `order`. */
export function mergeResults(previous: string, fresh: ReadonlyMap<string, string>, order: readonly string[]): string {
  const blocks = readBlocks(previous);
  for (const [section, body] of fresh) blocks.set(section, body.endsWith('\n') ? body : `${body}\n`);
  const sections = [...order.filter((name) => blocks.has(name)), ...[...blocks.keys()].filter((name) => !order.includes(name))];
  return [HEADER, ...sections.map((name) => `<!-- section: ${name} -->\n${blocks.get(name)}<!-- /section -->\n`)].join('\n');
}
