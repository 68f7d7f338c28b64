import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

/** A loopback port nothing listens on: the relay is down (connection refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * Issue 20, row 4, for an operator who runs `newsletter send` from cron instead of `start`: the
 * confirmation queued while the relay was down goes out with the next `send`, not only at a tick
 * of the scheduler.
 */
describeEachEngine('newsletter send drains the queue of confirmations', (engine) => {
  const t = useTestStore(engine);
  let project: TempProject;
  let sink: SmtpSink;
  let env: Record<string, string>;

  beforeAll(async () => {
    project = await tempProject();
    sink = await startSmtpSink();
    env = { NEWSLETTER_DATABASE_URL: t.url };
  });
  afterAll(async () => {
    await sink.close();
    await project.cleanup();
  });

  it('a confirmation that could not go while the relay was down goes with the next send', async () => {
    const down = `smtp://127.0.0.1:${await closedPort()}`;
    const added = await runCli(['subscribers', 'add', 'cron-reader@example.org'], project.dir, {
      ...env,
      NEWSLETTER_SMTP_URL: down,
    });
    expect(added.code).toBe(1);
    expect(added.stderr).toMatch(/stays queued and the next `newsletter send`/);
    expect(sink.received).toHaveLength(0);

    const sent = await runCli(['send'], project.dir, { ...env, NEWSLETTER_SMTP_URL: sink.url });
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(/confirmation, welcome and goodbye emails: 1 sent/);
    expect(sink.received.map((m) => m.envelopeTo)).toEqual([['cron-reader@example.org']]);
    expect(sink.received[0]!.parsed.text).toMatch(/\/confirm\?token=/);

    // Sent once: the next send finds nothing queued.
    const again = await runCli(['send'], project.dir, { ...env, NEWSLETTER_SMTP_URL: sink.url });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/confirmation, welcome and goodbye emails/);
    expect(sink.received).toHaveLength(1);
  });
});
