import { beforeAll, expect, it } from 'vitest';
import { createFeedbackStore, type FeedbackStore } from '../../src/store/feedback.ts';
import { createSubscriberStore } from '../../src/store/subscribers.ts';
import type { SubscriberStore } from '../../src/subscription/subscriber-store.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { newSubscriber, sentDelivery } from '../support/rows.ts';

const T = Date.UTC(2026, 2, 2, 10);

/** The feedback table's rules on both engines: one answer per reader and tip, anonymous rows apart, counts per tip, erase cascades. */
describeEachEngine('the feedback store', (engine) => {
  const t = useTestStore(engine);
  let store: FeedbackStore;
  let subscribers: SubscriberStore;
  beforeAll(() => {
    store = createFeedbackStore(t.db);
    subscribers = createSubscriberStore(t.db);
  });

  async function reader(email: string): Promise<number> {
    const { subscriber } = await subscribers.insert(newSubscriber(email, T, { status: 'active', confirmedAt: T }));
    return subscriber.id;
  }

  it('keeps one answer per reader and tip, replacing it and keeping the comment', async () => {
    const ann = await reader('ann@example.org');
    await store.answer(ann, 'stretch', 'yes', undefined, T);
    await store.answer(ann, 'stretch', 'yes', 'more pictures', T + 1);
    await store.answer(ann, 'stretch', 'no', undefined, T + 2);
    expect(await store.answerOf(ann, 'stretch')).toEqual({ answer: 'no', comment: 'more pictures' });
    expect(await store.ofReader(ann)).toEqual([
      { tip_slug: 'stretch', answer: 'no', comment: 'more pictures', created_at: T, updated_at: T + 2 },
    ]);
    // An emptied comment box clears the comment.
    await store.answer(ann, 'stretch', 'no', null, T + 3);
    expect(await store.answerOf(ann, 'stretch')).toEqual({ answer: 'no', comment: null });
  });

  it('stores anonymous answers apart, one comment each, and counts per tip with the share of recipients', async () => {
    const bo = await reader('bo@example.org');
    const cy = await reader('cy@example.org');
    await store.answer(bo, 'water', 'yes', undefined, T);
    await store.answer(cy, 'water', 'no', 'too long', T);
    const a = await store.anonymous('water', 'yes', T);
    const b = await store.anonymous('water', 'yes', T);
    await store.anonymous('water', 'no', T);
    expect(a).not.toBe(b);
    expect(await store.commentAnonymous(a, 'short and clear', T + 1)).toBe(true);
    expect(await store.commentAnonymous(a, 'again', T + 2)).toBe(false);
    // A reader's row is never reachable through the anonymous comment path.
    const readerRow = await t.db
      .selectFrom('feedback')
      .select('id')
      .where('subscriber_id', '=', bo)
      .executeTakeFirstOrThrow();
    expect(await store.commentAnonymous(readerRow.id, 'forged', T)).toBe(false);

    for (const [sid, state] of [
      [bo, 'sent'],
      [cy, 'sent'],
    ] as const) {
      await t.db
        .insertInto('deliveries')
        .values(
          sentDelivery(
            { subscriberId: sid, slug: 'water', messageId: `<${sid}@x>`, at: T, week: 7 },
            { state, claimed_at: null, last_response: null },
          ),
        )
        .execute();
    }
    const water = (await store.byTip()).find((r) => r.slug === 'water');
    expect(water).toEqual({
      slug: 'water',
      yes: 1,
      no: 1,
      comments: 1,
      recipients: 2,
      webYes: 2,
      webNo: 1,
      webComments: 1,
    });
    const comments = await store.comments(10);
    expect(comments.map((c) => [c.comment, c.anonymous])).toEqual(
      expect.arrayContaining([
        ['too long', false],
        ['short and clear', true],
      ]),
    );
  });

  it('erasing a reader removes their answers and leaves anonymous ones', async () => {
    const dee = await reader('dee@example.org');
    await store.answer(dee, 'socks', 'yes', 'nice', T);
    await store.anonymous('socks', 'no', T);
    await subscribers.remove(dee);
    expect(await store.ofReader(dee)).toEqual([]);
    expect((await store.byTip()).find((r) => r.slug === 'socks')).toMatchObject({ yes: 0, comments: 0, webNo: 1 });
  });
});
