import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { NewSubscriber } from './subscribers.ts';

/** What happened to one row of an import batch. */
export type ImportOutcome = 'added' | 'exists' | 'suppressed';

/** One new reader and the suppression hash of their normalized address. */
export interface ImportCandidate {
  row: NewSubscriber;
  hash: string;
}

/**
 * Rows per INSERT: 16 columns each stays under SQLite's 32,766 and PostgreSQL's 65,535 bound
 * parameters with room to spare.
 */
const INSERT_CHUNK = 500;

/**
 * Adds a batch of readers in one transaction (both engines): suppressed and already-listed
 * addresses are left alone, the rest inserted. One transaction per batch instead of one per row
 * is what makes a list of a million rows take seconds, not hours. With `dryRun` the same
 * outcomes are worked out and nothing is written. The candidates must have distinct addresses.
 */
export async function importBatch(db: Kysely<Database>, candidates: readonly ImportCandidate[], options: { dryRun: boolean }): Promise<ImportOutcome[]> {
  if (candidates.length === 0) return [];
  const work = async (trx: Kysely<Database>): Promise<ImportOutcome[]> => {
    const suppressed = new Set(
      (await trx.selectFrom('suppressions').select('email_hash').where('email_hash', 'in', candidates.map((c) => c.hash)).execute()).map((r) => r.email_hash),
    );
    const existing = new Set(
      (await trx.selectFrom('subscribers').select('email_normalized').where('email_normalized', 'in', candidates.map((c) => c.row.email_normalized)).execute()).map(
        (r) => r.email_normalized,
      ),
    );
    const outcomes: ImportOutcome[] = candidates.map((c) => (suppressed.has(c.hash) ? 'suppressed' : existing.has(c.row.email_normalized) ? 'exists' : 'added'));
    if (options.dryRun) return outcomes;
    const fresh = candidates.filter((_, i) => outcomes[i] === 'added');
    const inserted = new Set<string>();
    for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
      const rows = await trx
        .insertInto('subscribers')
        .values(fresh.slice(i, i + INSERT_CHUNK).map((c) => c.row))
        // Another writer (the site) may have added the address since the select: theirs stands.
        .onConflict((oc) => oc.column('email_normalized').doNothing())
        .returning('email_normalized')
        .execute();
      for (const r of rows) inserted.add(r.email_normalized);
    }
    return candidates.map((c, i) => (outcomes[i] === 'added' && !inserted.has(c.row.email_normalized) ? 'exists' : outcomes[i]!));
  };
  return options.dryRun ? work(db) : db.transaction().execute(work);
}
