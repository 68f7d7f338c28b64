import { CompiledQuery, type Kysely } from 'kysely';
import { engineOf, type Engine } from './engine.ts';
import type { Database } from './schema.ts';
import { subscriberColumns, type NewSubscriber } from './subscriber-rows.ts';

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

/** The fields an imported row sets, each with its column; the rest take their defaults. */
const FIELDS = Object.keys(subscriberColumns) as (keyof typeof subscriberColumns)[];
const COLUMNS = FIELDS.map((field) => subscriberColumns[field]);

const insertSqlCache = new Map<string, string>();

/**
 * The multi-row INSERT for `n` rows, as text, made once per size: Kysely's builder spends
 * longer compiling a 500-row insert than SQLite spends running it (half the time of an import).
 * Another writer (the site) may have added an address since the select: theirs stands.
 */
function insertSql(engine: Engine, n: number): string {
  const key = `${engine}:${n}`;
  let text = insertSqlCache.get(key);
  if (!text) {
    let p = 0;
    const param = () => (engine === 'postgres' ? `$${++p}` : '?');
    const rows = Array.from({ length: n }, () => `(${COLUMNS.map(param).join(', ')})`);
    text = `insert into subscribers (${COLUMNS.join(', ')}) values ${rows.join(', ')} on conflict (email_normalized) do nothing returning email_normalized`;
    insertSqlCache.set(key, text);
  }
  return text;
}

/**
 * Adds a batch of readers in one transaction (both engines): suppressed and already-listed
 * addresses are left alone, the rest inserted. One transaction per batch instead of one per row
 * is what makes a list of a million rows take seconds, not hours. With `dryRun` the same
 * outcomes are worked out and nothing is written. The candidates must have distinct addresses.
 */
export async function importBatch(
  db: Kysely<Database>,
  candidates: readonly ImportCandidate[],
  options: { dryRun: boolean },
): Promise<ImportOutcome[]> {
  if (candidates.length === 0) return [];
  const work = async (trx: Kysely<Database>): Promise<ImportOutcome[]> => {
    const suppressed = new Set(
      (
        await trx
          .selectFrom('suppressions')
          .select('email_hash')
          .where(
            'email_hash',
            'in',
            candidates.map((c) => c.hash),
          )
          .execute()
      ).map((r) => r.email_hash),
    );
    const existing = new Set(
      (
        await trx
          .selectFrom('subscribers')
          .select('email_normalized')
          .where(
            'email_normalized',
            'in',
            candidates.map((c) => c.row.emailNormalized),
          )
          .execute()
      ).map((r) => r.email_normalized),
    );
    const outcomes: ImportOutcome[] = candidates.map((c) =>
      suppressed.has(c.hash) ? 'suppressed' : existing.has(c.row.emailNormalized) ? 'exists' : 'added',
    );
    if (options.dryRun) return outcomes;
    const fresh = candidates.filter((_, i) => outcomes[i] === 'added');
    const inserted = new Set<string>();
    const engine = engineOf(trx);
    for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
      const chunk = fresh.slice(i, i + INSERT_CHUNK);
      const params = chunk.flatMap((c) => FIELDS.map((field) => c.row[field] ?? null));
      const r = await trx.executeQuery<{ email_normalized: string }>(
        CompiledQuery.raw(insertSql(engine, chunk.length), params),
      );
      for (const row of r.rows) inserted.add(row.email_normalized);
    }
    return candidates.map((c, i) =>
      outcomes[i] === 'added' && !inserted.has(c.row.emailNormalized) ? 'exists' : outcomes[i]!,
    );
  };
  return options.dryRun ? work(db) : db.transaction().execute(work);
}
