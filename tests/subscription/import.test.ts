import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { importBatch } from '../../src/store/import-batch.ts';
import { createSubscriberStore, type NewSubscriber } from '../../src/store/subscribers.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { importCsv, type ImportLine } from '../../src/subscription/import.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

const NOW = new Date('2026-03-02T10:00:00Z');

/** A plain active row; the real one (`Subscriptions.importedRow`) is covered by the CLI test. */
function rowFor(
  address: { email: string; normalized: string },
  input: { name?: string; timezone?: string },
  now: Date,
): NewSubscriber {
  const at = now.getTime();
  return {
    publicId: randomBytes(16).toString('base64url'),
    email: address.email,
    emailNormalized: address.normalized,
    name: input.name ?? null,
    status: 'active',
    timezone: input.timezone ?? null,
    sendTime: null,
    consentAt: at,
    consentIp: null,
    consentUserAgent: null,
    consentSource: 'import',
    createdAt: at,
    confirmedAt: at,
    statusChangedAt: at,
    nextSendAt: at,
    lastSentAt: null,
    confirmSentAt: null,
  };
}

/** The file's data lines as an editor counts them: not the header, not blank lines. */
const dataLines = (csv: string) =>
  csv
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '').length;

/** Feeds the text in chunks of `size` bytes, so line breaks and UTF-8 characters fall across chunk edges. */
const chunked = (text: string, size: number) => {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
};

describeEachEngine('streaming import', (engine) => {
  const t = useTestStore(engine);
  const run = async (csv: string, options: { dryRun?: boolean; batchSize?: number; chunk?: number } = {}) => {
    const rejected: ImportLine[] = [];
    const skipped: (ImportLine & { kind: string })[] = [];
    let batches = 0;
    const report = await importCsv(
      options.chunk ? chunked(csv, options.chunk) : Readable.from([csv]),
      { rowFor, writeBatch: (c, o) => importBatch(t.db, c, o) },
      {
        dryRun: options.dryRun ?? false,
        now: NOW,
        batchSize: options.batchSize ?? 3,
        on: {
          rejected: (r) => rejected.push(r),
          skipped: (r, kind) => skipped.push({ ...r, kind }),
          progress: () => batches++,
        },
      },
    );
    return { report, rejected, skipped, batches };
  };

  // The adversarial case: an unclosed quote on line 12 swallowed lines 12-14 and was reported as "line 14".
  const lines = [
    'email,name,timezone', // 1
    ...Array.from({ length: 9 }, (_, i) => `reader${i + 2}@example.org,R${i + 2},`), // 2-10
    'reader2@example.org,Again,', // 11: repeats line 2, in another batch
    '"reader12@example.org,Twelve,', // 12: the quote opens here and never closes on this line
    'reader13@example.org,Thirteen,Europe/Paris', // 13
    'reader14@example.org,Fourteen,', // 14
    'gone@example.org,Gone,', // 15: suppressed
    'Zoe@Bücher.de,Zoë,', // 16
  ];
  const csv = `${lines.join('\r\n')}\r\n`;

  it('accounts for every line: the unclosed quote is rejected on the line it opened, the lines it swallowed are read on their own', async () => {
    const store = createSubscriberStore(t.db);
    await store.suppress(addressHash('gone@example.org'), 'unsubscribed', NOW.getTime());

    const dry = await run(csv, { dryRun: true });
    expect(dry.report).toEqual({ lines: 15, imported: 12, existing: 1, suppressed: 1, rejected: 1 });
    expect(await store.byEmail('reader13@example.org')).toBeUndefined();

    const { report, rejected, skipped, batches } = await run(csv, { chunk: 7 });
    expect(report).toEqual({ lines: 15, imported: 12, existing: 1, suppressed: 1, rejected: 1 });
    expect(report.imported + report.existing + report.suppressed + report.rejected).toBe(dataLines(csv));
    expect(rejected).toEqual([
      {
        line: 12,
        reason:
          'not valid CSV: a quote opens on this line and is not closed on it (a field cannot run on to the next line); close the quote or remove it',
      },
    ]);
    expect(skipped).toEqual([
      {
        line: 11,
        email: 'reader2@example.org',
        reason: 'already subscribed (or an earlier line of this file)',
        kind: 'existing',
      },
      {
        line: 15,
        email: 'gone@example.org',
        reason: 'on the suppression list (unsubscribed, erased, bounced, complained or removed)',
        kind: 'suppressed',
      },
    ]);
    expect(batches).toBeGreaterThan(3);
    expect(await store.byEmail('reader13@example.org')).toMatchObject({
      name: 'Thirteen',
      timezone: 'Europe/Paris',
      status: 'active',
    });
    expect(await store.byEmail('reader14@example.org')).toMatchObject({ name: 'Fourteen' });
    expect(await store.byEmail('reader12@example.org')).toBeUndefined();
    expect(await store.byEmail('zoe@xn--bcher-kva.de')).toMatchObject({ email: 'Zoe@Bücher.de', name: 'Zoë' });

    // Again: everything is there already, nothing changes, the counts still add up.
    const again = await run(csv, { batchSize: 1000 });
    expect(again.report).toEqual({ lines: 15, imported: 0, existing: 13, suppressed: 1, rejected: 1 });
  });

  it('a quote that would close on a later line (csv-parse alone dropped every line after it): each line is read on its own', async () => {
    const text = [
      'email,name',
      'a1@example.org,"Ann',
      'a2@example.org,Bo',
      'a3@example.org,Cy" Smith',
      'a4@example.org,Dee',
      'a5@example.org,"Eve ""E"""',
    ].join('\n');
    const { report, rejected } = await run(text);
    expect(report).toEqual({ lines: 5, imported: 4, existing: 0, suppressed: 0, rejected: 1 });
    expect(rejected.map((r) => r.line)).toEqual([2]);
    const store = createSubscriberStore(t.db);
    expect(await store.byEmail('a3@example.org')).toMatchObject({ name: 'Cy" Smith' });
    expect(await store.byEmail('a4@example.org')).toMatchObject({ name: 'Dee' });
    expect(await store.byEmail('a5@example.org')).toMatchObject({ name: 'Eve "E"' });
  });

  it('a quote left open to the end of the file still accounts for each line after it', async () => {
    const text = ['email', 'b1@example.org', '"b2@example.org', 'b3@example.org', 'not-an-address'].join('\n');
    const { report, rejected } = await run(text);
    expect(report).toEqual({ lines: 4, imported: 2, existing: 0, suppressed: 0, rejected: 2 });
    expect(rejected.map((r) => r.line)).toEqual([3, 5]);
  });

  it('refuses a file without a usable header and writes nothing', async () => {
    const { report } = await run('nobody@example.org,Nobody\nsomeone@example.org,Someone\n');
    expect(report.fatal).toContain('the first line must be a header');
    expect(report.imported).toBe(0);
    expect(await createSubscriberStore(t.db).byEmail('someone@example.org')).toBeUndefined();
    expect((await run('')).report.fatal).toContain('the file is empty');
    const badHeader = await run('"email,name\nemail,name\nlater@example.org,Later\n');
    expect(badHeader.report.fatal).toMatch(/^the header line is not valid CSV \(a quote opens on this line/);
    expect(badHeader.report.imported).toBe(0);
    expect(await createSubscriberStore(t.db).byEmail('later@example.org')).toBeUndefined();
  });
});
