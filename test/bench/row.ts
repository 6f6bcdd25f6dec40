/** One line of the benchmark table (run.ts): a figure, its goal and the comparison made in the same run. */
export interface Row {
  readonly figure: string;
  readonly value: string;
  readonly goal: string;
  readonly ratio: string;
  readonly met: string;
}

export const verdict = (ok: boolean): string => (ok ? 'yes' : 'NO');

/** A Markdown table. */
export function markdownTable(header: readonly string[], lines: readonly (readonly string[])[]): string {
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export function table(rows: readonly Row[]): string {
  return markdownTable(
    ['figure', 'measured', 'goal', 'comparison (same run)', 'met'],
    rows.map((r) => [r.figure, r.value, r.goal, r.ratio, r.met]),
  );
}

/** Bytes in KB or MB of 1024 (as vsce and VS Code print them). */
export const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;
