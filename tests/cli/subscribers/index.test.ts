import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../../src/store/database.ts';
import { createSubscriberStore } from '../../../src/store/subscribers.ts';
import { addressHash } from '../../../src/subscription/address.ts';
import { runCli } from '../../support/run-cli.ts';
import { tempProject, type TempProject } from '../../support/temp-project.ts';

const NOW = new Date('2026-03-02T10:00:00Z');

describe('newsletter migrate and newsletter subscribers', () => {
  let temp: TempProject;
  const cli = (...args: string[]) => runCli(args, temp.dir, { NEWSLETTER_TIMEZONE: 'Europe/London' }, NOW);
  async function withStore<T>(fn: (store: ReturnType<typeof createSubscriberStore>) => Promise<T>): Promise<T> {
    const db = openStore(temp.config.database);
    await migrate(db);
    try {
      return await fn(createSubscriberStore(db));
    } finally {
      await db.destroy();
    }
  }
  async function outbox() {
    const dir = path.join(temp.dir, 'outbox');
    const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.eml')).sort();
    return Promise.all(files.map(async (f) => simpleParser(await readFile(path.join(dir, f)))));
  }

  beforeAll(async () => {
    temp = await tempProject();
  });
  afterAll(() => temp.cleanup());

  it('migrate applies the migrations once, then says it is up to date', async () => {
    const first = await cli('migrate');
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain('applied 001-initial');
    const again = await cli('migrate');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('is up to date');
  });

  it('add: pending with a confirmation email in the outbox, or active with --confirmed and a welcome', async () => {
    const pending = await cli('subscribers', 'add', 'Pat@Example.org', '--name', 'Pat');
    expect(pending.code).toBe(0);
    expect(pending.stdout).toContain('added Pat@Example.org as pending');
    const active = await cli('subscribers', 'add', 'ops@example.org', '--confirmed', '--timezone', 'America/Chicago');
    expect(active.code).toBe(0);
    const mails = await outbox();
    expect(mails.map((m) => m.subject)).toEqual([
      'Please confirm: Night Cramp Weekly',
      'Welcome to Night Cramp Weekly',
    ]);
    // The confirmation carries no name until the reader confirms.
    expect(mails[0]!.text).toContain('Hi there,');
    expect(mails[0]!.text).not.toContain('Hi Pat');
    await withStore(async (store) => {
      expect(await store.byEmail('pat@example.org')).toMatchObject({
        status: 'pending',
        email: 'Pat@Example.org',
        consentSource: 'cli',
      });
      const ops = await store.byEmail('ops@example.org');
      expect(ops).toMatchObject({ status: 'active', timezone: 'America/Chicago', confirmedAt: NOW.getTime() });
      expect(ops!.nextSendAt).toBe(Date.parse('2026-03-03T01:00:00Z'));
    });
  });

  it('add refuses bad input with a reason and exit 1, bad usage with exit 2', async () => {
    expect(await cli('subscribers', 'add', 'not-an-address')).toMatchObject({ code: 1 });
    const zone = await cli('subscribers', 'add', 'zone@example.org', '--timezone', 'Mars/Base');
    expect(zone.code).toBe(1);
    expect(zone.stderr).toContain('unknown time zone "Mars/Base"');
    const dup = await cli('subscribers', 'add', 'PAT@example.org');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already on the list (status pending)');
    expect((await cli('subscribers', 'add', 'x@example.org', '--format', 'csv')).code).toBe(2);
    expect((await cli('subscribers', 'frobnicate')).code).toBe(2);
    expect((await cli('subscribers', 'add')).code).toBe(2);
    expect((await cli('subscribers', 'export', '--format', 'xml')).code).toBe(2);
  });

  it('import: every bad row reported with its line and reason, the rest imported, suppressed skipped; --dry-run writes nothing', async () => {
    await withStore((store) => store.suppress(addressHash('gone@example.org'), 'unsubscribed', NOW.getTime()));
    const csv = [
      'email,name,timezone', // 1
      'ann@example.org,Ann,Europe/Paris', // 2
      'not-an-address,Bad,', // 3
      'bob@example.org,Bob,Nowhere/Special', // 4
      'cy@example.org', // 5: name and zone left out
      'ANN@example.org,Ann again,', // 6: repeats line 2
      'gone@example.org,Gone,', // 7: suppressed
      'ops@example.org,Ops,', // 8: already subscribed
      'dee@example.org,Dee,UTC,extra', // 9: too many columns
      '"a@b.c\r\nBcc: x@y.z",Eve,', // 10-11: header injection inside quotes: a field may not span lines
      'eve@example.org,"Eve ""E"" Example",Asia/Tokyo', // 12
      '', // blank lines are fine
    ].join('\n');
    const file = path.join(temp.dir, 'list.csv');
    await writeFile(file, csv);

    const dry = await cli('subscribers', 'import', 'list.csv', '--dry-run');
    expect(dry.code).toBe(1);
    expect(dry.stdout).toBe(
      'would import 3, skipped 2 existing, skipped 1 suppressed, rejected 5 (11 data lines); dry run: nothing written; links use http://localhost:3000',
    );
    await withStore(async (store) => expect(await store.byEmail('ann@example.org')).toBeUndefined());

    const run = await cli('subscribers', 'import', 'list.csv', '--verbose');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      'imported 3, skipped 2 existing, skipped 1 suppressed, rejected 5 (11 data lines); links use http://localhost:3000',
    );
    const lines = run.stderr.split('\n');
    expect(lines).toContain(
      'list.csv:3: not-an-address: That does not look like an email address. Check it reads like name@example.org.',
    );
    expect(lines).toContain(
      'list.csv:4: bob@example.org: unknown time zone "Nowhere/Special"; use an IANA name like Europe/London, or leave it empty',
    );
    expect(lines.some((l) => l.startsWith('list.csv:9: not valid CSV: Invalid Record Length'))).toBe(true);
    expect(
      lines.some((l) => l.startsWith('list.csv:10: not valid CSV: a quote opens on this line and is not closed on it')),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith('list.csv:11: Bcc: x@y.z"'))).toBe(true);
    expect(lines).toContain('list.csv:6: skipped ANN@example.org: repeats line 2');
    expect(lines).toContain(
      'list.csv:7: skipped gone@example.org: on the suppression list (unsubscribed, erased, bounced, complained or removed)',
    );
    expect(lines).toContain(
      'list.csv:8: skipped ops@example.org: already subscribed (or an earlier line of this file)',
    );
    expect(lines).toHaveLength(8);

    await withStore(async (store) => {
      expect(await store.byEmail('ann@example.org')).toMatchObject({
        status: 'active',
        name: 'Ann',
        timezone: 'Europe/Paris',
        consentSource: 'import',
      });
      expect(await store.byEmail('cy@example.org')).toMatchObject({ status: 'active', name: null, timezone: null });
      expect(await store.byEmail('eve@example.org')).toMatchObject({ name: 'Eve "E" Example' });
      expect(await store.byEmail('gone@example.org')).toBeUndefined();
      expect(await store.byEmail('ops@example.org')).toMatchObject({ name: null });
    });
    // Imported readers get no welcome: only the two emails from `add` are in the outbox.
    expect(await outbox()).toHaveLength(2);
  });

  it('import refuses a file without a header or that cannot be read, and imports nothing', async () => {
    await writeFile(path.join(temp.dir, 'nohead.csv'), 'zed@example.org,Zed,UTC\n');
    const r = await cli('subscribers', 'import', 'nohead.csv');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the first line must be a header naming the columns, e.g. "email,name,timezone"');
    const missing = await cli('subscribers', 'import', 'missing.csv');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read missing.csv: no such file');
  });

  it('list and export show every subscriber; export as CSV or JSON', async () => {
    const list = await cli('subscribers', 'list', '--status', 'active');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').map((l) => l.split('\t')[0])).toEqual([
      'ops@example.org',
      'ann@example.org',
      'cy@example.org',
      'eve@example.org',
    ]);
    expect(list.stderr).toContain('4 subscribers active; all: 1 pending, 4 active');

    const csv = await cli('subscribers', 'export');
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(5);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining(['email', 'name', 'status', 'timezone', 'consent_source', 'created_at']),
    );
    expect(Object.keys(rows[0]!)).not.toContain('id');
    expect(Object.keys(rows[0]!)).not.toContain('public_id');
    expect(rows.find((r) => r.email === 'eve@example.org')).toMatchObject({
      name: 'Eve "E" Example',
      timezone: 'Asia/Tokyo',
      status: 'active',
    });

    const json = await cli('subscribers', 'export', '--format', 'json', '--status', 'pending');
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ email: 'Pat@Example.org', status: 'pending', created_at: NOW.toISOString() }),
    ]);
  });

  it('remove erases a subscriber and keeps them suppressed, so import skips them', async () => {
    const r = await cli('subscribers', 'remove', 'Ann@example.org');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed ann@example.org (was active)');
    await withStore(async (store) => {
      expect(await store.byEmail('ann@example.org')).toBeUndefined();
      expect(await store.suppression(addressHash('ann@example.org'))).toMatchObject({ reason: 'operator' });
    });
    const again = await cli('subscribers', 'remove', 'ann@example.org');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not on the list (its hash is on the suppression list: operator)');
    await writeFile(path.join(temp.dir, 'back.csv'), 'email\nann@example.org\n');
    const back = await cli('subscribers', 'import', 'back.csv');
    expect(back.stdout).toBe(
      'imported 0, skipped 0 existing, skipped 1 suppressed, rejected 0 (1 data lines); links use http://localhost:3000',
    );
    expect(back.code).toBe(0);
  });
});
