import { cpus, totalmem } from 'node:os';
import { round } from './stats.js';

/** One line of the table: a figure, its goal from issue 4 when it has one, and whether it met it. */
export interface Row {
  measure: string;
  figure: string;
  value: number;
  unit: string;
  goal?: string;
  /** undefined: no goal for this figure. */
  pass?: boolean;
  note?: string;
}

export function machine() {
  const cores = cpus();
  return {
    cores: cores.length,
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
  };
}

export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => [
    r.measure,
    r.figure,
    `${formatValue(r.value)} ${r.unit}`.trim(),
    r.goal ?? '—',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'MISS',
    r.note ?? '',
  ]);
  const header = ['measure', 'figure', 'value', 'goal', 'result', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) => c.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

function formatValue(value: number): string {
  const rounded = round(value);
  return Math.abs(rounded) >= 1000 ? Math.round(rounded).toLocaleString('en-US') : String(rounded);
}

/** Rounds every number in a results object, for a results.json people can read. */
export function rounded(value: unknown): unknown {
  if (typeof value === 'number') return round(value);
  if (Array.isArray(value)) return value.map(rounded);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item)]));
  }
  return value;
}
