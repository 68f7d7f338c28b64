import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importBatch } from '../../src/store/import-batch.ts';
import type { NewSubscriber } from '../../src/store/subscribers.ts';
import { csvDecoding } from '../../src/subscription/csv-encoding.ts';
import { importCsv, type ImportLine } from '../../src/subscription/import.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const NOW = new Date('2026-03-02T10:00:00Z');

/**
 * A list exported from a spreadsheet on Windows: Windows-1252 bytes, CR LF. "José" is `4A 6F 73
 * E9`; read as UTF-8 that E9 is not a character, and the old import stored "Jos\uFFFD" without a
 * word. Lines 3 and 5 hold such bytes; lines 2 and 4 are plain ASCII.
 */
const LATIN1 = Buffer.concat([
  Buffer.from('email,name,timezone\r\n', 'latin1'), // 1
  Buffer.from('ann@example.org,Ann,Europe/London\r\n', 'latin1'), // 2
  Buffer.from('jose@example.org,José,Europe/Madrid\r\n', 'latin1'), // 3
  Buffer.from('bob@example.org,Bob,\r\n', 'latin1'), // 4
  Buffer.concat([
    Buffer.from('zoe@example.org,Zoë ', 'latin1'),
    Buffer.from([0x96]),
    Buffer.from(' ops,\r\n', 'latin1'),
  ]), // 5: an en dash in Windows-1252
]);

const dbUrl = (t: ReturnType<typeof useTestStore>) => t.url;

describeEachEngine('importing a file that is not UTF-8', (engine) => {
  const t = useTestStore(engine);
  let temp: TempProject;
  const cli = (...args: string[]) => runCli(args, temp.dir, { NEWSLETTER_DATABASE_URL: dbUrl(t) }, NOW);
  const names = async () =>
    Object.fromEntries(
      (await t.db.selectFrom('subscribers').select(['email', 'name']).orderBy('email').execute()).map((r) => [
        r.email,
        r.name,
      ]),
    );

  beforeAll(async () => {
    temp = await tempProject();
    await writeFile(path.join(temp.dir, 'excel.csv'), LATIN1);
  });
  afterAll(() => temp.cleanup());

  it('each line that is not UTF-8 is rejected by its line number and says to use --encoding; the other lines are imported', async () => {
    const run = await cli('subscribers', 'import', 'excel.csv');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^imported 2, skipped 0 existing, skipped 0 suppressed, rejected 2 \(4 data lines\)/);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe(
      `excel.csv:3: not valid UTF-8: byte 0xE9 after "jose@example.org,Jos"; if the file was saved as Latin-1 or Windows-1252 (Excel's "CSV" on Windows), import it with --encoding windows-1252 (or save it as "CSV UTF-8")`,
    );
    expect(lines[1]).toMatch(/^excel\.csv:5: not valid UTF-8: byte 0xEB after "zoe@example\.org,Zo"; /);
    expect(lines[2]).toBe(
      `excel.csv: 2 lines were not valid UTF-8 and not imported; if the file was saved as Latin-1 or Windows-1252 (Excel's "CSV" on Windows), import it with --encoding windows-1252 (or save it as "CSV UTF-8"): the lines imported now are then skipped as existing`,
    );
    expect(lines).toHaveLength(3);
    // Nothing with a replacement character reached the list.
    expect(await names()).toEqual({ 'ann@example.org': 'Ann', 'bob@example.org': 'Bob' });
  });

  it('--encoding windows-1252 (or latin1) reads the same file: the names arrive as written, the lines imported before are skipped', async () => {
    const run = await cli('subscribers', 'import', 'excel.csv', '--encoding', 'latin1');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^imported 2, skipped 2 existing, skipped 0 suppressed, rejected 0 \(4 data lines\)/);
    // latin1 is read as Windows-1252, as browsers read it: 0x96 is the en dash, not a control character.
    expect(await names()).toEqual({
      'ann@example.org': 'Ann',
      'bob@example.org': 'Bob',
      'jose@example.org': 'José',
      'zoe@example.org': 'Zoë – ops',
    });
  });

  it('an encoding that is unknown, or that does not write ASCII as ASCII, is bad usage (exit 2) and imports nothing', async () => {
    const unknown = await cli('subscribers', 'import', 'excel.csv', '--encoding', 'klingon');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^newsletter subscribers import: --encoding: unknown encoding "klingon"; use utf-8 \(the default\), windows-1252 or latin1/,
    );
    const wide = await cli('subscribers', 'import', 'excel.csv', '--encoding', 'utf-16le');
    expect(wide.code).toBe(2);
    expect(wide.stderr).toMatch(
      /--encoding: encoding "utf-16le" does not write plain ASCII as ASCII, so its lines cannot be read; convert the file to UTF-8 first/,
    );
  });

  it('streaming: a bad byte, CR LF and UTF-8 characters split across chunk edges are read the same at any chunk size', async () => {
    const rowFor = (address: { email: string; normalized: string }, input: { name?: string }): NewSubscriber => ({
      publicId: randomBytes(16).toString('base64url'),
      email: address.email,
      emailNormalized: address.normalized,
      name: input.name ?? null,
      status: 'active',
      timezone: null,
      sendTime: null,
      consentAt: NOW.getTime(),
      consentIp: null,
      consentUserAgent: null,
      consentSource: 'import',
      createdAt: NOW.getTime(),
      confirmedAt: NOW.getTime(),
      statusChangedAt: NOW.getTime(),
      nextSendAt: NOW.getTime(),
      lastSentAt: null,
      confirmSentAt: null,
    });
    const tag = randomBytes(3).toString('hex');
    // UTF-8 with a BOM, names of two, three and four bytes a character, one Latin-1 byte on line 4.
    const file = Buffer.concat([
      Buffer.from(`\uFEFFemail,name\r\nrenee-${tag}@example.org,Renée\r\nmiki-${tag}@example.org,美希\r\n`, 'utf8'),
      Buffer.from(`bad-${tag}@example.org,Andr`, 'utf8'),
      Buffer.from([0xe9]),
      Buffer.from(`\r\nemoji-${tag}@example.org,Sam 🌙\r\nlast-${tag}@example.org,Ana`, 'utf8'),
    ]);
    for (const size of [1, 2, 3, 5, 7, 64, file.length]) {
      const parts: Buffer[] = [];
      for (let i = 0; i < file.length; i += size) parts.push(file.subarray(i, i + size));
      const rejected: ImportLine[] = [];
      const report = await importCsv(
        Readable.from(parts),
        { rowFor, writeBatch: (c, o) => importBatch(t.db, c, o) },
        { dryRun: true, now: NOW, batchSize: 2, on: { rejected: (r) => rejected.push(r) } },
      );
      expect({ size, report }).toEqual({
        size,
        report: { lines: 5, imported: 4, existing: 0, suppressed: 0, rejected: 1 },
      });
      expect(rejected).toEqual([
        {
          line: 4,
          reason: expect.stringMatching(/^not valid UTF-8: byte 0xE9 after "bad-[0-9a-f]{6}@example\.org,Andr"; /),
        },
      ]);
    }
    const decoding = csvDecoding('windows-1252');
    if (!decoding.ok) throw new Error(decoding.problem);
    const latin = await importCsv(
      Readable.from([Buffer.from(`email,name\nlatin-${tag}@example.org,Renée\n`, 'latin1')]),
      { rowFor, writeBatch: (c, o) => importBatch(t.db, c, o) },
      { dryRun: false, now: NOW, decoding: decoding.decoding },
    );
    expect(latin).toEqual({ lines: 1, imported: 1, existing: 0, suppressed: 0, rejected: 0 });
    expect(
      (
        await t.db
          .selectFrom('subscribers')
          .select('name')
          .where('email', '=', `latin-${tag}@example.org`)
          .executeTakeFirstOrThrow()
      ).name,
    ).toBe('Renée');
  });
});
