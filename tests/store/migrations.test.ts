import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { expect, it } from 'vitest';
import type { DatabaseConfig } from '../../src/config.ts';
import { MIGRATE_LOCK, MIGRATION_NAMES, engineOf, migrate } from '../../src/store/database.ts';
import type { Database } from '../../src/store/schema.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { repoRoot } from '../support/temp-project.ts';

const exec = promisify(execFile);

const urlOf = (database: DatabaseConfig) => (database.kind === 'sqlite' ? `sqlite:${database.file}` : database.url);

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('kysely_migration' as never)
    .select(sql<string>`name`.as('name'))
    .execute();
  return rows.map((r) => r.name);
}

describeEachEngine('migrations', (engine) => {
  const t = useTestStore(engine, { migrate: false });

  it('three `newsletter migrate` processes started at once on a fresh database all succeed, and the migration applies once', async () => {
    const run = () =>
      exec(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'migrate'], {
        cwd: path.join(repoRoot, 'tests'),
        env: { ...process.env, NEWSLETTER_DATABASE_URL: urlOf(t.database), NEWSLETTER_DATABASE_POOL: '2' },
        timeout: 30_000,
      });
    const outputs = (await Promise.all([run(), run(), run()])).map((r) => r.stdout.trim());
    expect(outputs.filter((o) => o.startsWith(`applied ${MIGRATION_NAMES.join(', ')}`))).toHaveLength(1);
    expect(outputs.filter((o) => o.endsWith('is up to date'))).toHaveLength(2);
    expect(await appliedMigrations(t.db)).toEqual([...MIGRATION_NAMES]);
    expect(await migrate(t.db)).toEqual([]);
    expect(engineOf(t.db)).toBe(engine.name);
  });

  it('ids come from the database, and every time column is a 64-bit integer', async () => {
    const row = (n: number) => ({
      public_id: `p${n}`,
      email: `id${n}@example.org`,
      email_normalized: `id${n}@example.org`,
      status: 'active' as const,
      created_at: 1,
      status_changed_at: 1,
    });
    const ids = await t.db
      .insertInto('subscribers')
      .values([row(1), row(2)])
      .returning('id')
      .execute();
    expect(ids).toEqual([{ id: expect.any(Number) }, { id: ids[0]!.id + 1 }]);
    if (engine.name === 'postgres') {
      const columns = await sql<{ table_name: string; column_name: string; data_type: string; is_identity: string }>`
        select table_name, column_name, data_type, is_identity from information_schema.columns
        where table_schema = 'public' and (column_name = 'id' or column_name like '%\\_at' or column_name = 'at')`.execute(
        t.db,
      );
      const ofKind = (pred: (c: (typeof columns.rows)[number]) => boolean) =>
        columns.rows
          .filter(pred)
          .map((c) => `${c.table_name}.${c.column_name}`)
          .sort();
      expect(ofKind((c) => c.column_name === 'id' && c.is_identity === 'YES')).toEqual([
        'bounce_events.id',
        'correction_deliveries.id',
        'deliveries.id',
        'delivery_attempts.id',
        'feedback.id',
        'subscribers.id',
        'system_emails.id',
      ]);
      expect(ofKind((c) => c.column_name !== 'id' && c.data_type !== 'bigint')).toEqual([]);
    }
  });
});

describeEachEngine('migrations under the advisory lock', (engine) => {
  const t = useTestStore(engine, { migrate: false });

  // In one process: SQLite's waits block the thread (better-sqlite3 is synchronous), so only
  // separate processes can race there; the test above covers that.
  if (engine.name === 'postgres')
    it('three pools migrating one fresh database at once: all succeed, applied once', async () => {
      const results = await Promise.all([t.db, t.open(), t.open()].map((db) => migrate(db)));
      expect(results.flat()).toEqual([...MIGRATION_NAMES]);
      expect(await appliedMigrations(t.db)).toEqual([...MIGRATION_NAMES]);
    });

  it('a pool of one connection is enough to migrate', async () => {
    // The whole run holds one connection; it must not ask the same pool for a second.
    expect(await migrate(t.open({ pool: 1 }))).toEqual(engine.name === 'postgres' ? [] : [...MIGRATION_NAMES]);
    expect(await appliedMigrations(t.db)).toEqual([...MIGRATION_NAMES]);
  });
});

describeEachEngine(
  'a migration waits for the lock',
  (engine) => {
    const t = useTestStore(engine, { migrate: false });

    it('wait while another process holds the migration lock', async () => {
      const holder = t.open();
      await holder.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(${sql.lit(MIGRATE_LOCK)})`.execute(conn);
        let done = false;
        const running = migrate(t.db).then((r) => ((done = true), r));
        await new Promise((r) => setTimeout(r, 300));
        expect(done).toBe(false);
        await sql`select pg_advisory_unlock(${sql.lit(MIGRATE_LOCK)})`.execute(conn);
        expect(await running).toEqual([...MIGRATION_NAMES]);
      });
    });
  },
  'postgres',
);
