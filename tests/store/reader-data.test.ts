import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeReaderData, readerDataTables, undescribed } from '../../src/store/reader-data.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

/**
 * The privacy page lists what is stored from the live schema. This is the guard that keeps it
 * honest: a migration that adds a table or a column holding reader data fails here until the
 * column has a line in src/store/reader-data.ts (or the table is listed as holding none).
 */
describeEachEngine('what the privacy page says is stored', (engine) => {
  const t = useTestStore(engine);

  it('every table of the migrated database is classified, and every column of a reader-data table is described', async () => {
    const report = await describeReaderData(t.db);
    const missing = undescribed(report);
    expect(
      missing,
      `describe these in src/store/reader-data.ts (readerDataTables, each column as ['Plain name', 'what it holds and why'], or tablesWithoutReaderData for a table with nothing about readers): ${missing.join(', ')}`,
    ).toEqual([]);
    // The page shows the database's columns, not just the ones described: the subscriber's address is there.
    const subscribers = report.tables.find((x) => x.name === 'subscribers')!;
    expect(subscribers.columns.map((c) => c.name)).toEqual(
      expect.arrayContaining(['email', 'name', 'timezone', 'consent_ip']),
    );
    // No description is left over for a column the database does not have (a renamed column).
    for (const table of report.tables) {
      const live = new Set(table.columns.map((c) => c.name));
      expect(
        Object.keys(readerDataTables[table.name]!.columns).filter((c) => !live.has(c)),
        `stale descriptions in ${table.name}`,
      ).toEqual([]);
    }
  });

  it('fails for a new column or a new table that nobody described', async () => {
    await sql`alter table subscribers add column favourite_colour text`.execute(t.db);
    await sql`create table feedback_test (subscriber_id integer, answer text)`.execute(t.db);
    try {
      expect(undescribed(await describeReaderData(t.db)).sort()).toEqual([
        'feedback_test',
        'subscribers.favourite_colour',
      ]);
    } finally {
      await sql`drop table feedback_test`.execute(t.db);
      await sql`alter table subscribers drop column favourite_colour`.execute(t.db);
    }
  });
});
