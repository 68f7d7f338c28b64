import { dataDir } from '../config.ts';
import { readLinkRecord, runLinkCheck, type LinkCheckRecord } from '../check/links.ts';
import { checkProject } from '../check/run-checks.ts';
import { findSpamAssassin, formatSpamScore, SPAMASSASSIN_MISSING } from '../check/spam.ts';
import { formatProblem, hasErrors, type Severity } from '../problems.ts';
import { UsageError, type LeafCommand } from './command.ts';
import { linksUse } from './links-note.ts';
import { withApp } from './with-app.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const check: LeafCommand = {
  usage: [
    'newsletter check [--production] [--spam] [--quiet | --verbose] [--links [--timeout SECONDS]]',
    '',
    'Validates settings, tips and templates, renders every email and enforces the writing rules',
    '(placeholders, 250-450 words, reading grade, tonight, reviewed), the includes of red flags in',
    'content/pages/help.md, and 911/emergency/urgent outside a > [!WARNING], and the accessibility',
    'of every rendered email (headings, link text, alt text, lang/dir, text size, line height,',
    'contrast in light and dark). Prints each problem as path:line: message, errors first.',
    'Exit 1 on any error.',
    '  --production  also the launch gates (as with NODE_ENV=production): a real postal address,',
    '                a sender on a real domain, an https NEWSLETTER_BASE_URL',
    '  --spam     also score every email as sent (tips and system emails) with SpamAssassin',
    '             (spamassassin -t -L, when installed): prints each score and its rules; any',
    '             score above 0.0 is an error',
    '  --quiet    errors only',
    '  --verbose  also the notes: reading time, email-client support (caniemail)',
    '  --links    also request every source and body link (HEAD, then GET where HEAD is refused;',
    '             up to 5 redirects; at most 4 at once and 1 per host) and report dead links',
    '             (errors), permanent redirects with the address to use, and slow answers',
    '             (warnings). Results are kept for a day under the data directory; without',
    '             --links, check prints the last result (`start` checks every week).',
    '  --timeout  seconds to wait for each answer with --links (default 10)',
  ].join('\n'),
  options: {
    production: { type: 'boolean' },
    spam: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
    links: { type: 'boolean' },
    timeout: { type: 'string' },
  },
  run: ({ values }, io) =>
    withApp(io, async (app) => {
      const spamBin = values.spam ? findSpamAssassin() : undefined;
      if (values.spam && !spamBin) io.err(`⚠ ${SPAMASSASSIN_MISSING}`);
      const report = await checkProject(app.config, io.now(), {
        ...(values.production ? { production: true } : {}),
        ...(spamBin ? { spam: { bin: spamBin } } : {}),
      });
      const links = values.links
        ? await runLinkCheck((await app.project()).tips, dataDir(app.config), {
            now: () => io.now().getTime(),
            timeoutMs: timeoutOf(values.timeout),
          })
        : undefined;
      if (links) report.problems.push(...links.problems);
      const count = (s: Severity) => report.problems.filter((p) => p.severity === s).length;
      const shown: Severity[] = values.quiet
        ? ['error']
        : values.verbose
          ? ['error', 'warning', 'info']
          : ['error', 'warning'];
      for (const p of report.problems) if (shown.includes(p.severity)) io.out(formatProblem(p));
      if (report.spamScores && !values.quiet) for (const s of report.spamScores) io.out(formatSpamScore(s));
      // The last link check (weekly under `start`) before the summary, which stays the last line.
      if (!links) io.out(lastLinkCheck(await readLinkRecord(dataDir(app.config))));
      const notes = count('info');
      const hidden = notes && !values.verbose ? `; ${plural(notes, 'note')} (--verbose shows them)` : '';
      io.out(
        `${count('error') ? '✗' : '✓'} ${report.tipsChecked} tips and ${report.systemEmailsChecked} system emails rendered; ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}${hidden}; ${linksUse(app.config)}`,
      );
      return hasErrors(report.problems) ? 1 : 0;
    }),
};

function timeoutOf(value: unknown): number {
  if (value === undefined) return 10_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--timeout "${String(value)}" is not a number of seconds; e.g. --timeout 10`);
  return seconds * 1000;
}

/** What the last link check found (weekly under `start`, or `check --links`), without asking anyone now. */
export function lastLinkCheck(last: LinkCheckRecord | undefined): string {
  if (!last) return 'links: never checked; `newsletter check --links` requests every source and body link';
  const dead = last.problems.filter((p) => p.severity === 'error');
  const other = last.problems.length - dead.length;
  const lines = [
    `links: last checked ${new Date(last.checkedAt).toISOString()}: ${plural(dead.length, 'dead link')}, ${plural(other, 'redirect or slow answer')}${last.problems.length ? ' (`newsletter check --links` checks again)' : ''}`,
    ...last.problems.map((p) => `  ${formatProblem(p)}`),
  ];
  return lines.join('\n');
}

export default check;
