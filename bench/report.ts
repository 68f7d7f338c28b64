import { appendFile, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** One measured figure with its baseline, as printed and as appended to bench/RESULTS.md. */
export interface Row {
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | undefined;
}

export function machineLine(): string {
  return `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

export function printTable(rows: Row[], out: (s: string) => void): void {
  const head = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const cells = rows.map((r) => [
    r.figure,
    r.value,
    r.baseline,
    r.ratio,
    r.target,
    r.met === undefined ? '-' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  out(line(head));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) out(line(c));
}

/** Appends one dated line per figure to bench/RESULTS.md (creating it with a header). */
export async function appendResults(file: string, rows: Row[], mode: string, when: Date): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch {
    await writeFile(
      file,
      `# Benchmark results\n\nAppended by \`npm run bench\`, one line per figure per run. Each figure is measured against its baseline in the same run.\n\n| date | mode | machine | figure | value | baseline | ratio | target | met |\n|---|---|---|---|---|---|---|---|---|\n`,
    );
  }
  void existing;
  const stamp = when.toISOString().slice(0, 16).replace('T', ' ');
  const lines = rows.map(
    (r) =>
      `| ${stamp} | ${mode} | ${machineLine()} | ${r.figure} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met === undefined ? '-' : r.met ? 'yes' : 'no'} |`,
  );
  await appendFile(file, `${lines.join('\n')}\n`);
}

export const benchDir = path.dirname(new URL(import.meta.url).pathname);
