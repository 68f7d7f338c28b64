import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../src/store/database.ts';

/** A pass writes steadily; its log must not need tens of MB of free space before a checkpoint. */
describe('the SQLite write-ahead log is checkpointed and cut back', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ncw-wal-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stays near 4 MB however much a long run of transactions writes', async () => {
    const file = path.join(dir, 'newsletter.db');
    const db = openDatabase(file, { durable: true });
    try {
      await migrate(db);
      let largest = 0;
      // About 25 MB of rows in 500 transactions, as a long pass commits claim after claim.
      for (let t = 0; t < 500; t++) {
        await db
          .insertInto('subscribers')
          .values(
            Array.from({ length: 10 }, (_, i) => {
              const n = t * 10 + i;
              return {
                public_id: `p${n}`,
                email: `r${n}@example.org`,
                email_normalized: `r${n}@example.org`,
                name: 'x'.repeat(5000),
                status: 'active' as const,
                timezone: null,
                send_time: null,
                consent_at: 1,
                consent_ip: null,
                consent_user_agent: null,
                consent_source: 'test',
                created_at: 1,
                confirmed_at: 1,
                status_changed_at: 1,
                next_send_at: 1,
                last_sent_at: null,
                confirm_sent_at: null,
              };
            }),
          )
          .execute();
        if (t % 25 === 0) largest = Math.max(largest, (await stat(`${file}-wal`)).size);
      }
      largest = Math.max(largest, (await stat(`${file}-wal`)).size);
      expect((await stat(file)).size).toBeGreaterThan(20 * 1024 * 1024);
      // 1,000 pages of 4 KB between checkpoints, a little more while one runs: never ~40 MB.
      expect(largest).toBeLessThan(6 * 1024 * 1024);
    } finally {
      await db.destroy();
    }
  });

  it('keeps a 2 MB page cache per connection, not the 16 MB better-sqlite3 builds SQLite with', async () => {
    // A pass over a large list fills the cache: at 16 MB its process held 13 MB more (bench figure 2).
    for (const durable of [true, false]) {
      const db = openDatabase(path.join(dir, 'cache.db'), { durable });
      try {
        const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
        expect(rows[0]?.cache_size).toBe(-2000);
      } finally {
        await db.destroy();
      }
    }
  });
});
