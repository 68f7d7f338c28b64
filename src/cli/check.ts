import { checkProject } from '../check/run-checks.ts';
import { findSpamAssassin, formatSpamScore, SPAMASSASSIN_MISSING } from '../check/spam.ts';
import { formatProblem, hasErrors, type Severity } from '../problems.ts';
import type { LeafCommand } from './command.ts';
import { linksUse } from './links-note.ts';
import { withApp } from './with-app.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const check: LeafCommand = {
  usage: [
    'newsletter check [--production] [--spam] [--quiet | --verbose]',
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
  ].join('\n'),
  options: {
    production: { type: 'boolean' },
    spam: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
  },
  run: ({ values }, io) =>
    withApp(io, async (app) => {
      const spamBin = values.spam ? findSpamAssassin() : undefined;
      if (values.spam && !spamBin) io.err(`⚠ ${SPAMASSASSIN_MISSING}`);
      const report = await checkProject(app.config, io.now(), {
        ...(values.production ? { production: true } : {}),
        ...(spamBin ? { spam: { bin: spamBin } } : {}),
      });
      const count = (s: Severity) => report.problems.filter((p) => p.severity === s).length;
      const shown: Severity[] = values.quiet
        ? ['error']
        : values.verbose
          ? ['error', 'warning', 'info']
          : ['error', 'warning'];
      for (const p of report.problems) if (shown.includes(p.severity)) io.out(formatProblem(p));
      if (report.spamScores && !values.quiet) for (const s of report.spamScores) io.out(formatSpamScore(s));
      const notes = count('info');
      const hidden = notes && !values.verbose ? `; ${plural(notes, 'note')} (--verbose shows them)` : '';
      io.out(
        `${count('error') ? '✗' : '✓'} ${report.tipsChecked} tips and ${report.systemEmailsChecked} system emails rendered; ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}${hidden}; ${linksUse(app.config)}`,
      );
      return hasErrors(report.problems) ? 1 : 0;
    }),
};

export default check;
