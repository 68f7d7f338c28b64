import type { Kysely } from 'kysely';
import type { RelayNote } from './ledger-rows.ts';
import type { Database } from './schema.ts';

/** One kind of relay event as `stats` and `/metrics` show it. */
export interface RelayEvent {
  /** Passes that met it, across every process on the database. */
  count: number;
  lastAt: number;
  /** The last one's text: the relay's answer or the stop line, no address in it. */
  last: string;
}

export interface RelayState {
  /** Refused, dropped or timed-out connections, 421, TLS or login refused; null before any. */
  lastConnectionFailure: RelayEvent | null;
  /** Passes that stopped early, by cause (`relay_temporary`, `relay_refused_sender`, `database`, …). */
  passesStopped: Record<string, RelayEvent>;
}

/** Adds one pass's news (see RelayNote): each event counted once and its time and text kept. */
export async function noteRelayState(db: Kysely<Database>, note: RelayNote): Promise<void> {
  const rows = [
    ...(note.connectionFailure
      ? [
          {
            kind: 'connection_failure',
            cause: '',
            count: 1,
            last_at: note.connectionFailure.at,
            last_detail: note.connectionFailure.what.slice(0, 1000),
          },
        ]
      : []),
    ...(note.stopped
      ? [
          {
            kind: 'pass_stopped',
            cause: note.stopped.cause,
            count: 1,
            last_at: note.stopped.at,
            last_detail: note.stopped.why.slice(0, 1000),
          },
        ]
      : []),
  ];
  for (const row of rows) {
    await db
      .insertInto('relay_state')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['kind', 'cause']).doUpdateSet((eb) => ({
          count: eb('relay_state.count', '+', 1),
          last_at: eb.ref('excluded.last_at'),
          last_detail: eb.ref('excluded.last_detail'),
        })),
      )
      .execute();
  }
}

export async function readRelayState(db: Kysely<Database>): Promise<RelayState> {
  const rows = await db.selectFrom('relay_state').selectAll().execute();
  const event = (r: (typeof rows)[number]): RelayEvent => ({
    count: Number(r.count),
    lastAt: Number(r.last_at),
    last: r.last_detail,
  });
  const failure = rows.find((r) => r.kind === 'connection_failure');
  return {
    lastConnectionFailure: failure ? event(failure) : null,
    passesStopped: Object.fromEntries(
      rows
        .filter((r) => r.kind === 'pass_stopped')
        .sort((a, b) => a.cause.localeCompare(b.cause))
        .map((r) => [r.cause, event(r)]),
    ),
  };
}
