import { readFile } from 'node:fs/promises';
import { ingestMessage } from '../../bounces/ingest.ts';
import type { LeafCommand } from '../command.ts';
import { withApp } from '../with-app.ts';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const ingest: LeafCommand = {
  usage: [
    'newsletter bounces ingest [FILE…|-]',
    '',
    'Reads each FILE (one email each, as an MTA or a mailbox stores it) or stdin (- or no file),',
    'as a delivery status notification (RFC 3464), a plain-text bounce (qmail; Exim, Sendmail or',
    'Exchange without a DSN) or a complaint report (RFC 5965), finds the',
    'reader by the signed return path (NEWSLETTER_BOUNCE_ADDRESS) or the original Message-ID, and',
    'applies it: hard bounce → bounced and suppressed; soft → counted, bounced at 3 in 30 days;',
    'complaint → unsubscribed and suppressed. Prints one line per message.',
    'Exit 1 when a message could not be read or matched to a reader (it changed nothing).',
  ].join('\n'),
  positionals: { min: 0, max: 10_000 },
  run: ({ positionals }, io) =>
    withApp(io, async (app) => {
      const deps = await app.bounces();
      const inputs = positionals.length ? positionals : ['-'];
      let unmatched = 0;
      for (const name of inputs) {
        let raw: Buffer;
        try {
          raw = name === '-' ? await readStdin() : await readFile(name);
        } catch (e) {
          io.err(`${name}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
          unmatched++;
          continue;
        }
        const result = await ingestMessage(deps, raw, io.now());
        const where = name === '-' ? 'stdin' : name;
        if (result.outcome === 'unknown') {
          unmatched++;
          io.err(`${where}: unknown: ${result.text}; nothing changed`);
        } else io.out(`${where}: ${result.outcome}: ${result.text}`);
      }
      return unmatched ? 1 : 0;
    }),
};

export default ingest;
