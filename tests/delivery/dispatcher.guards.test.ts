import { describe, expect, it } from 'vitest';
import { insertSubscribers, pass, useDeliveryFixture } from './helpers.ts';
import { useSmtpSink } from '../support/use-resource.ts';

const T = Date.UTC(2026, 2, 1, 19);
const readers = (n: number, prefix = 'reader') =>
  Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.org`, nextSendAt: T }));

const sink = useSmtpSink();
const f = useDeliveryFixture(sink, 2);

const statuses = async () => (await f.db.selectFrom('subscribers').select('status').execute()).map((r) => r.status);
const suppressions = async () => (await f.db.selectFrom('suppressions').select('email_hash').execute()).length;

describe('failures that concern everyone are never blamed on readers', () => {
  it('a server refusing the sender (5xx to MAIL FROM) stops the pass; nobody is bounced or suppressed', async () => {
    await insertSubscribers(f.db, readers(8));
    sink.setSenderRule({ code: 553, message: 'sender address not owned by this account' });
    const summary = await pass(f.db, f.mailer, f.project, f.tp.config, T);
    expect(summary.aborted).toMatch(
      /^the relay refused the sender \(MAIL FROM\): 553 sender address not owned by this account .*; check NEWSLETTER_FROM and NEWSLETTER_BOUNCE_ADDRESS/,
    );
    expect(summary.bounced).toBe(0);
    expect(summary.sent).toBe(0);
    expect(await statuses()).toEqual(Array(8).fill('active'));
    expect(await suppressions()).toBe(0);

    sink.setSenderRule(undefined);
    const next = await pass(f.db, f.mailer, f.project, f.tp.config, T + 20 * 60_000);
    expect(next.sent).toBe(8);
    expect(sink.received).toHaveLength(8);
  });

  it('ten refused recipients in a row stop the pass; the refusals are released to retry, nobody is bounced', async () => {
    await insertSubscribers(f.db, readers(30));
    sink.setRule(() => ({ code: 550, message: 'relay access denied' }));
    const summary = await pass(f.db, f.mailer, f.project, f.tp.config, T);
    expect(summary.aborted).toMatch(/10 recipients in a row were refused/);
    expect(summary.bounced).toBe(0);
    expect(summary.retried).toBeGreaterThanOrEqual(10);
    expect(await statuses()).toEqual(Array(30).fill('active'));
    expect(await suppressions()).toBe(0);
  });

  it('a template that fails to render stops the pass and leaves the claimed readers to a retry', async () => {
    await insertSubscribers(f.db, readers(6));
    const broken = {
      ...f.project,
      renderer: Object.assign(Object.create(Object.getPrototypeOf(f.project.renderer)), f.project.renderer, {
        compileTip: () => Promise.reject(new Error('templates/tip.mjml.hbs:3: MJML: broken')),
      }),
    };
    const summary = await pass(f.db, f.mailer, broken, f.tp.config, T);
    expect(summary.aborted).toMatch(/not sent: templates\/tip\.mjml\.hbs:3: MJML: broken/);
    expect(summary.sent).toBe(0);
    const rows = await f.db.selectFrom('deliveries').select('state').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.every((r) => r.state === 'retry')).toBe(true);
  });
});

describe('pending retries', () => {
  it("a paused reader's retry waits for them instead of failing, and goes out after they resume", async () => {
    const [id] = await insertSubscribers(f.db, [{ email: 'pauser@example.org', nextSendAt: T }]);
    sink.setRule(() => ({ code: 451, message: 'try later' }));
    expect((await pass(f.db, f.mailer, f.project, f.tp.config, T)).retried).toBe(1);
    sink.setRule(undefined);
    await f.db.updateTable('subscribers').set({ status: 'paused', next_send_at: null }).where('id', '=', id!).execute();
    await pass(f.db, f.mailer, f.project, f.tp.config, T + 3_600_000);
    expect(await f.db.selectFrom('deliveries').select('state').executeTakeFirstOrThrow()).toMatchObject({
      state: 'retry',
    });
    await f.db
      .updateTable('subscribers')
      .set({ status: 'active', next_send_at: T + 2 * 3_600_000 })
      .where('id', '=', id!)
      .execute();
    const after = await pass(f.db, f.mailer, f.project, f.tp.config, T + 2 * 3_600_000);
    expect(after.sent).toBe(1);
    expect(sink.received).toHaveLength(1);
  });

  it('a retry whose 72 hours ran out during an outage is failed, not sent days late', async () => {
    await insertSubscribers(f.db, [{ email: 'late@example.org', nextSendAt: T }]);
    sink.setRule(() => ({ code: 451, message: 'try later' }));
    await pass(f.db, f.mailer, f.project, f.tp.config, T);
    sink.setRule(undefined);
    const summary = await pass(f.db, f.mailer, f.project, f.tp.config, T + 5 * 86_400_000);
    expect(sink.received).toHaveLength(0);
    expect(
      await f.db.selectFrom('deliveries').select(['state', 'last_response']).executeTakeFirstOrThrow(),
    ).toMatchObject({ state: 'failed', last_response: 'not sent: 72 hours passed while no pass ran' });
    expect(summary.sent).toBe(0);
  });
});

describe('stopping', () => {
  it('an aborted signal ends the pass after the sends in flight; the rest stay due', async () => {
    await insertSubscribers(f.db, readers(40));
    const stop = new AbortController();
    let sent = 0;
    const summary = await pass(f.db, f.mailer, f.project, f.tp.config, T, {
      signal: stop.signal,
      onProgress: (s) => {
        sent = s.sent;
        if (sent >= 5) stop.abort();
      },
    });
    expect(summary.aborted).toMatch(/stopped on request/);
    expect(summary.sent).toBeLessThan(15);
    const states = await f.db.selectFrom('deliveries').select('state').execute();
    expect(states.every((r) => r.state === 'sent')).toBe(true);
    const stillDue = await f.db.selectFrom('subscribers').select('id').where('next_send_at', '<=', T).execute();
    expect(stillDue.length).toBe(40 - states.length);
  });
});
