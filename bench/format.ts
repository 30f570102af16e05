/** How the benchmark writes numbers and tables. */
export const fixed = (value: number, digits: number) => value.toFixed(digits);
export const rate = (rps: number) => (rps >= 100 ? fixed(rps, 0) : fixed(rps, 1));
export const times = (value: number | null) => (value === null ? '' : value === Infinity ? '∞' : `${value >= 10 ? fixed(value, 1) : fixed(value, 2)}×`);
export const signed = (value: number) => `${value >= 0 ? '+' : ''}${fixed(value, 0)}`;
export const megabytes = (value: number | null, delta: number | null) =>
  value === null ? '' : delta === null ? fixed(value, 0) : `${fixed(value, 0)} (${signed(delta)})`;

/** A markdown table with padded columns, readable both in a terminal and rendered. */
export function markdownTable(header: string[], body: string[][], rightAligned: boolean[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const pad = (cell: string, i: number) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (rightAligned[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

export const percent = (value: number) => `${value >= 1 ? '+' : ''}${fixed((value - 1) * 100, 0)}%`;
