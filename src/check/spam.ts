import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Problem } from '../problems.ts';
import type { SampleMessage } from './sample-messages.ts';

/** One rule SpamAssassin matched, with the points it gave. */
export interface SpamRule {
  name: string;
  score: number;
  description: string;
}

export interface SpamScore {
  label: string;
  file: string;
  score: number;
  rules: SpamRule[];
}

/** The score an email may have: none at all. Any rule that adds points is a finding to fix. */
export const SPAM_MAX_SCORE = 0;

/** The `spamassassin` program on PATH, or undefined when it is not installed. */
export function findSpamAssassin(pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const bin = path.join(dir, 'spamassassin');
    try {
      accessSync(bin, constants.X_OK);
      return bin;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export const SPAMASSASSIN_MISSING =
  'SpamAssassin is not installed, so no spam scores: install it (Debian: apt-get install -y spamassassin) and run `newsletter check --spam` again';

const BEGIN = 'ncw-spam-report-begin';
const END = 'ncw-spam-report-end';

/**
 * SpamAssassin's verdict on each message, as `spamassassin -t -L` gives it: local tests only
 * (no network, so no DNS block lists or DKIM lookups), Debian's rules. All messages go to one
 * run, since the program's start (loading and compiling its rules) costs far more than a message.
 * Its report is replaced by one we can read back (score, then the rules with their points), and
 * nothing is learnt from the samples (`bayes_auto_learn 0`, no preferences file written).
 */
export async function scoreMessages(
  messages: readonly SampleMessage[],
  bin: string,
  options: { timeoutMs?: number } = {},
): Promise<SpamScore[]> {
  if (messages.length === 0) return [];
  const dir = await mkdtemp(path.join(tmpdir(), 'ncw-spam-'));
  try {
    // Named so that any order SpamAssassin could walk them in is the order given.
    const files = messages.map((_, i) => path.join(dir, `${String(i).padStart(4, '0')}.eml`));
    await Promise.all(messages.map((m, i) => writeFile(files[i]!, m.raw)));
    const args = [
      '-t',
      '-L',
      '-x',
      '--cf=bayes_auto_learn 0',
      '--cf=clear_report_template',
      `--cf=report ${BEGIN} _SCORE_`,
      '--cf=report _SUMMARY_',
      `--cf=report ${END}`,
      ...files,
    ];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        bin,
        args,
        { maxBuffer: 256 * 2 ** 20, timeout: options.timeoutMs ?? 10 * 60_000, env: { ...process.env, LC_ALL: 'C' } },
        (error, out, err) => {
          if (error) reject(new Error(`${bin} failed: ${error.message}${err ? `\n${err.trim()}` : ''}`));
          else resolve(out);
        },
      );
    });
    const reports = parseReports(stdout);
    if (reports.length !== messages.length)
      throw new Error(
        `${bin} reported on ${reports.length} of ${messages.length} messages; run it by hand on one (spamassassin -t -L < message.eml) to see why`,
      );
    return messages.map((m, i) => ({ label: m.label, file: m.file, ...reports[i]! }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Our report blocks in SpamAssassin's output, in order: the score and the summary's rows. */
export function parseReports(output: string): { score: number; rules: SpamRule[] }[] {
  const out: { score: number; rules: SpamRule[] }[] = [];
  const lines = output.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const begin = new RegExp(`^${BEGIN} (-?\\d+(?:\\.\\d+)?)\\s*$`).exec(lines[i]!);
    if (!begin) continue;
    const rules: SpamRule[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== END; i++) {
      const line = lines[i]!;
      const row = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_]+)\s+(.*)$/.exec(line);
      if (row) rules.push({ score: Number(row[1]), name: row[2]!, description: row[3]!.trim() });
      // A long description goes on in the next lines, indented past the columns.
      else if (line.trim() && rules.length) rules[rules.length - 1]!.description += ` ${line.trim()}`;
    }
    out.push({ score: Number(begin[1]), rules });
  }
  return out;
}

/** An error for each email over the limit, naming the rules that gave it points. */
export function spamProblems(scores: readonly SpamScore[]): Problem[] {
  return scores
    .filter((s) => s.score > SPAM_MAX_SCORE)
    .map((s) => ({
      severity: 'error' as const,
      check: 'spam',
      file: s.file,
      message: `${s.label}: SpamAssassin scores ${s.score.toFixed(1)} (${s.rules
        .filter((r) => r.score > 0)
        .map((r) => `${r.name} ${r.score.toFixed(1)}: ${r.description}`)
        .join('; ')}): change the template or tip until it scores 0.0`,
    }));
}

/** One line per email: its score and every rule it matched. */
export function formatSpamScore(s: SpamScore): string {
  const rules = s.rules.map((r) => `${r.name} ${r.score.toFixed(1)}`).join(', ');
  return `${s.score > SPAM_MAX_SCORE ? '✗' : '✓'} spam ${s.score.toFixed(1)} ${s.label}${rules ? ` (${rules})` : ''}`;
}
