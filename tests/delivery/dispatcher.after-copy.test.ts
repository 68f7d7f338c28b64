import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishedTips } from '../../src/content/index.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import type { Project } from '../../src/render/project.ts';
import { copyStore } from '../../src/store/copy.ts';
import type { Database } from '../../src/store/schema.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import type { TempProject } from '../support/temp-project.ts';
import { HOUR, WEEK, insertSubscribers, loadProject, openTestDatabase, pass, sinkProject } from './helpers.ts';

const T = Date.UTC(2026, 2, 2, 19);

/** Which tip each reader was sent at `at`, from the ledger. */
async function sentAt(db: Kysely<Database>, at: number): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('deliveries')
    .innerJoin('subscribers', 'subscribers.id', 'deliveries.subscriber_id')
    .select(['email', 'tip_slug'])
    .where('sent_at', '=', at)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.email, r.tip_slug]));
}

/**
 * Moving a list that has been sending from SQLite to PostgreSQL: the ledger moves with it, so the
 * copy knows who had which tip and its passes carry on the series instead of starting it again.
 */
describeEachEngine(
  'a pass on a copied store',
  (engine) => {
    const pg = useTestStore(engine, { migrate: false });
    let sink: SmtpSink;
    let tp: TempProject;
    let mailer: Mailer;
    let project: Project;
    let sqlite: Kysely<Database>;
    let tips: string[];
    const sent = ['early@example.org', 'also-early@example.org', 'third@example.org'];
    const later = 'later@example.org';

    beforeAll(async () => {
      sink = await startSmtpSink();
      ({ tp, mailer } = await sinkProject(sink.url, 2));
      project = await loadProject(tp.config);
      tips = publishedTips(project.tips).map((t) => t.slug);
      sqlite = await openTestDatabase(tp.config);
      await insertSubscribers(sqlite, [
        ...sent.map((email) => ({ email, nextSendAt: T })),
        { email: later, nextSendAt: T + 3 * 24 * HOUR },
      ]);
      const first = await pass(sqlite, mailer, project, tp.config, T);
      expect(first.sent).toBe(3);
      expect(sink.received).toHaveLength(3);
      await copyStore(sqlite, pg.db);
    }, 60_000);

    afterAll(async () => {
      await mailer?.close();
      await sqlite?.destroy();
      await sink?.close();
      await tp?.cleanup();
    });

    it('sends nothing at the time the source last sent', async () => {
      const again = await pass(pg.db, mailer, project, tp.config, T);
      expect(again.sent).toBe(0);
      expect(sink.received).toHaveLength(3);
    });

    it('a week on, each reader gets their next tip, never the one they had', async () => {
      const at = T + WEEK + HOUR;
      const next = await pass(pg.db, mailer, project, tp.config, at);
      expect(next.aborted).toBeUndefined();
      // The readers who had tip 1 get tip 2; the one who was not due yet gets tip 1. The ledger's
      // new rows take ids after the copied ones (a sequence left behind would collide here).
      expect(await sentAt(pg.db, at)).toEqual({
        ...Object.fromEntries(sent.map((e) => [e, tips[1]])),
        [later]: tips[0],
      });
      expect(sink.received).toHaveLength(7);
      const tipOne = await pg.db
        .selectFrom('deliveries')
        .select('subscriber_id')
        .where('tip_slug', '=', tips[0]!)
        .execute();
      expect(tipOne).toHaveLength(4);
    });

    it('takes new subscribers after the copy', async () => {
      const before = await pg.db
        .selectFrom('subscribers')
        .select((eb) => eb.fn.max('id').as('max'))
        .executeTakeFirstOrThrow();
      const [id] = await insertSubscribers(pg.db, [{ email: 'new@example.org', nextSendAt: null }]);
      expect(id).toBe(Number(before.max) + 1);
    });
  },
  'postgres',
);
