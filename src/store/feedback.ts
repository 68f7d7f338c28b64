import type { Kysely } from 'kysely';
import type { Database, FeedbackAnswer } from './schema.ts';

/** One tip's answers, as the editors see them. */
export interface TipFeedback {
  slug: string;
  /** From readers' emails: one answer per reader. */
  yes: number;
  no: number;
  /** Readers' answers with a comment. */
  comments: number;
  /** Readers the tip was sent to (delivered), for the share who answered. */
  recipients: number;
  /** Anonymous answers from the public tip page. */
  webYes: number;
  webNo: number;
  webComments: number;
}

export interface FeedbackComment {
  slug: string;
  answer: FeedbackAnswer;
  comment: string;
  at: number;
  /** Whether it came from the web page (no reader) or from a reader's email. */
  anonymous: boolean;
}

/** All SQL for "Did this help?" answers; the rules in subscription/feedback.ts see only this. */
export interface FeedbackStore {
  /**
   * Records a reader's answer for a tip, replacing an earlier one. `comment` undefined keeps the
   * stored one (changing yes to no does not lose what the reader wrote); null clears it.
   */
  answer(
    subscriberId: number,
    slug: string,
    answer: FeedbackAnswer,
    comment: string | null | undefined,
    now: number,
  ): Promise<void>;
  /** The reader's answer for a tip, if any. */
  answerOf(subscriberId: number, slug: string): Promise<{ answer: FeedbackAnswer; comment: string | null } | undefined>;
  /** An anonymous answer; returns its row id (for the comment that may follow). */
  anonymous(slug: string, answer: FeedbackAnswer, now: number): Promise<number>;
  /** Adds the comment to an anonymous answer that has none yet; true when it did. */
  commentAnonymous(id: number, comment: string, now: number): Promise<boolean>;
  /** Every answer of one reader, for "download my data". */
  ofReader(
    subscriberId: number,
  ): Promise<
    { tip_slug: string; answer: FeedbackAnswer; comment: string | null; created_at: number; updated_at: number }[]
  >;
  /** Counts per tip that has answers or deliveries. */
  byTip(): Promise<TipFeedback[]>;
  /** The latest comments, newest first. */
  comments(limit: number): Promise<FeedbackComment[]>;
}

export function createFeedbackStore(db: Kysely<Database>): FeedbackStore {
  return {
    async answer(subscriberId, slug, answer, comment, now) {
      await db
        .insertInto('feedback')
        .values({
          subscriber_id: subscriberId,
          tip_slug: slug,
          answer,
          comment: comment ?? null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(['subscriber_id', 'tip_slug']).doUpdateSet((eb) => ({
            answer,
            updated_at: now,
            comment: comment === undefined ? eb.ref('feedback.comment') : comment,
          })),
        )
        .execute();
    },
    answerOf: (subscriberId, slug) =>
      db
        .selectFrom('feedback')
        .select(['answer', 'comment'])
        .where('subscriber_id', '=', subscriberId)
        .where('tip_slug', '=', slug)
        .executeTakeFirst(),
    async anonymous(slug, answer, now) {
      const row = await db
        .insertInto('feedback')
        .values({ subscriber_id: null, tip_slug: slug, answer, comment: null, created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    },
    async commentAnonymous(id, comment, now) {
      const r = await db
        .updateTable('feedback')
        .set({ comment, updated_at: now })
        .where('id', '=', id)
        .where('subscriber_id', 'is', null)
        .where('comment', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    ofReader: (subscriberId) =>
      db
        .selectFrom('feedback')
        .select(['tip_slug', 'answer', 'comment', 'created_at', 'updated_at'])
        .where('subscriber_id', '=', subscriberId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    byTip: () => feedbackByTip(db),
    comments: (limit) => latestComments(db, limit),
  };
}

/** A tip's counts, all zero. */
const noFeedback = (slug: string): TipFeedback => ({
  slug,
  yes: 0,
  no: 0,
  comments: 0,
  recipients: 0,
  webYes: 0,
  webNo: 0,
  webComments: 0,
});

/** Adds one group of answers (one tip, one answer, from readers or from the web page) to its tip's counts. */
function addAnswers(t: TipFeedback, r: { answer: FeedbackAnswer; anon: unknown; n: unknown; c: unknown }): void {
  const n = Number(r.n);
  const c = Number(r.c);
  if (Number(r.anon) === 1) {
    if (r.answer === 'yes') t.webYes += n;
    else t.webNo += n;
    t.webComments += c;
  } else {
    if (r.answer === 'yes') t.yes += n;
    else t.no += n;
    t.comments += c;
  }
}

/** Counts per tip that has answers or deliveries. */
async function feedbackByTip(db: Kysely<Database>): Promise<TipFeedback[]> {
  const answers = await db
    .selectFrom('feedback')
    .select((eb) => [
      'tip_slug',
      'answer',
      eb.case().when('subscriber_id', 'is', null).then(1).else(0).end().as('anon'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.count<number>('comment').as('c'),
    ])
    .groupBy(['tip_slug', 'answer', 'anon'])
    .execute();
  const sent = await db
    .selectFrom('deliveries')
    .select(['tip_slug', (eb) => eb.fn.count<number>('subscriber_id').distinct().as('n')])
    .where('state', '=', 'sent')
    .groupBy('tip_slug')
    .execute();
  const tips = new Map<string, TipFeedback>();
  const tip = (slug: string) => {
    let t = tips.get(slug);
    if (!t) tips.set(slug, (t = noFeedback(slug)));
    return t;
  };
  for (const r of answers) addAnswers(tip(r.tip_slug), r);
  for (const r of sent) tip(r.tip_slug).recipients = Number(r.n);
  return [...tips.values()];
}

/** The latest comments, newest first. */
async function latestComments(db: Kysely<Database>, limit: number): Promise<FeedbackComment[]> {
  const rows = await db
    .selectFrom('feedback')
    .select(['tip_slug', 'answer', 'comment', 'updated_at', 'subscriber_id'])
    .where('comment', 'is not', null)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    slug: r.tip_slug,
    answer: r.answer,
    comment: r.comment ?? '',
    at: r.updated_at,
    anonymous: r.subscriber_id === null,
  }));
}
