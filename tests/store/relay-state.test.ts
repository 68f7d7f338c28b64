import { expect, it } from 'vitest';
import { openApp } from '../../src/app.ts';
import { startMetricsServer } from '../../src/web/metrics-server.ts';
import { describeEachEngine } from '../support/engines.ts';
import { useRelayFixture } from '../delivery/relay-fixture.ts';

/**
 * Issue 20, "Also": `newsletter stats` and `/metrics` show the relay's state (its last connection
 * failure, how many passes stopped and why), kept in the database so every process shows what any
 * sender met, and with no reader's address in it.
 */
const T = Date.UTC(2026, 2, 2, 19);
const HOUR = 3_600_000;
const TOKEN = 'a-metrics-token-of-decent-length';

describeEachEngine("the relay's state in stats and /metrics", (engine) => {
  const f = useRelayFixture(engine);

  it('two outage passes (421 at the greeting) and one refused for the sender (5.7.1): stats and /metrics of another process say so', async () => {
    await f.readers(Array.from({ length: 6 }, (_, i) => ({ email: `state${i}@example.org`, nextSendAt: T })));
    const before = await f.cli(['stats'], T);
    expect(before.stdout).toContain('  last connection failure  none');
    expect(before.stdout).toContain('  passes stopped early     0');

    f.sink.setGreeting({ code: 421, message: '4.3.2 Service not available, closing transmission channel' });
    expect((await f.send(T)).code).toBe(1);
    expect((await f.send(T + HOUR)).code).toBe(1);
    f.sink.setGreeting(undefined);
    f.sink.setRule((to) => ({ code: 554, message: `5.7.1 <${to}>: Relay access denied` }));
    expect((await f.send(T + 2 * HOUR)).code).toBe(1);

    // Another process (a fresh app on the same database) reads it.
    const stats = await f.cli(['stats'], T + 3 * HOUR);
    expect(stats.code).toBe(0);
    const lines = stats.stdout.split('\n');
    const at = (ms: number) => new Date(ms).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
    expect(lines).toContainEqual(
      `  last connection failure  ${at(T + HOUR)}: 421 4.3.2 Service not available, closing transmission channel (2 passes met one)`,
    );
    expect(lines).toContainEqual('  passes stopped early     3');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {4}relay_refused_sender +1 {2}last \S+: the relay refused a recipient: 554 5\.7\.1 <<address>>: Relay access denied/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^ {4}relay_temporary +2 {2}last \S+: the relay is not taking mail for now/),
    );
    const json = JSON.parse((await f.cli(['stats', '--json'], T + 3 * HOUR)).stdout);
    expect(json.relay).toEqual({
      lastConnectionFailure: {
        count: 2,
        lastAt: expect.any(Number),
        last: '421 4.3.2 Service not available, closing transmission channel',
      },
      passesStopped: {
        relay_refused_sender: {
          count: 1,
          lastAt: expect.any(Number),
          last: expect.stringContaining('Relay access denied'),
        },
        relay_temporary: {
          count: 2,
          lastAt: expect.any(Number),
          last: expect.stringContaining('not taking mail for now'),
        },
      },
    });
    // Stamped by the pass's clock (`--at` plus the real time it took), in the second pass.
    expect(json.relay.lastConnectionFailure.lastAt).toBeGreaterThanOrEqual(T + HOUR);
    expect(json.relay.lastConnectionFailure.lastAt).toBeLessThan(T + 2 * HOUR);
    // Nothing in it names a reader.
    expect(JSON.stringify(await f.db.selectFrom('relay_state').selectAll().execute())).not.toMatch(/@example\.org/);

    const app = openApp({
      cwd: f.tp.dir,
      env: {
        NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
        NEWSLETTER_DATABASE_URL:
          f.store.database.kind === 'sqlite' ? `sqlite:${f.store.database.file}` : f.store.database.url,
        NEWSLETTER_METRICS_TOKEN: TOKEN,
      },
      now: () => new Date(T + 3 * HOUR),
    });
    const server = await startMetricsServer((await app.metrics())!, TOKEN, '127.0.0.1', 0);
    try {
      const body = await (
        await fetch(`${server.address}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).text();
      expect(body).toContain('newsletter_passes_stopped{cause="relay_temporary"} 2');
      expect(body).toContain('newsletter_passes_stopped{cause="relay_refused_sender"} 1');
      expect(body).toContain('newsletter_passes_stopped{cause="database"} 0');
      expect(body).toContain('newsletter_relay_connection_failures 2');
      expect(body).toContain(
        `newsletter_relay_last_connection_failure_timestamp_seconds{code="421"} ${json.relay.lastConnectionFailure.lastAt / 1000}`,
      );
    } finally {
      await server.close();
      await app.close();
    }
  }, 240_000);
});
