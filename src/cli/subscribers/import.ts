import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { importCsv } from '../../subscription/import.ts';
import type { LeafCommand } from '../command.ts';
import { linksUse } from '../links-note.ts';
import { withApp } from '../with-app.ts';

/** An address with control characters is shown quoted, so it cannot break the output. */
const shown = (email: string) => (/[\u0000-\u001f\u007f]/.test(email) ? JSON.stringify(email) : email);

const importCommand: LeafCommand = {
  usage: [
    'newsletter subscribers import FILE.csv [--dry-run]',
    '',
    'CSV with a header row: email,name,timezone. Imported readers are active at once (you vouch',
    'for their consent) and get no email; bad rows are reported by line, the rest imported;',
    'suppressed and existing addresses are skipped. --dry-run reports the same and writes nothing.',
  ].join('\n'),
  options: { 'dry-run': { type: 'boolean' } },
  positionals: { min: 1, max: 1, missing: 'a CSV file' },
  run: ({ values, positionals }, io) =>
    withApp(io, async (app) => {
      const file = positionals[0]!;
      let text: string;
      try {
        text = await readFile(path.resolve(io.cwd, file), 'utf8');
      } catch (e) {
        io.err(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
        return 1;
      }
      const dryRun = values['dry-run'] === true;
      const report = await importCsv(text, { subscriptions: await app.subscriptions(), store: await app.subscribers() }, { dryRun, now: io.now() });
      if (report.fatal) {
        io.err(`${file}: ${report.fatal}; nothing was imported`);
        return 1;
      }
      for (const r of report.rejected) io.err(`${file}:${r.line}: ${r.email ? `${shown(r.email)}: ` : ''}${r.reason}`);
      for (const r of report.skipped) io.err(`${file}:${r.line}: skipped ${r.email}: ${r.reason}`);
      io.out(`${dryRun ? 'would import' : 'imported'} ${report.imported}, skipped ${report.skipped.length}, rejected ${report.rejected.length}${dryRun ? ' (dry run: nothing written)' : ''}; ${linksUse(app.config)}`);
      return report.rejected.length ? 1 : 0;
    }),
};

export default importCommand;
