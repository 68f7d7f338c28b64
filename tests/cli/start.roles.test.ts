import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { startRole } from '../support/start-process.ts';
import { useTempProject } from '../support/use-resource.ts';

/**
 * `newsletter start --role ROLE` until it has said `ready`, then `whileUp(out)`, then SIGTERM;
 * its output and exit code.
 */
async function startUntil(
  dir: string,
  role: string,
  ready: RegExp,
  options: { env?: Record<string, string>; whileUp?: (out: string) => Promise<void> } = {},
): Promise<{ out: string; code: number | null }> {
  const child = startRole(dir, role, { HOST: '127.0.0.1', ...options.env });
  let code: number | null;
  try {
    await child.until(ready, 20_000);
    await options.whileUp?.(child.out());
  } finally {
    code = await child.stop();
  }
  return { out: child.out(), code };
}

describe('newsletter start --role', () => {
  const temp = useTempProject();

  it('refuses an unknown role with usage and exit 2', async () => {
    const r = await runCli(['start', '--role', 'worker'], temp.dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--role "worker" is not a role; use site, sender or all');
    expect(r.stderr).toContain('newsletter start [--role site|sender|all]');
  });

  it('sender: the dispatcher without an HTTP listener', async () => {
    const r = await startUntil(temp.dir, 'sender', /\[scheduler\] dispatch pass on/);
    expect(r.out).toContain('sender only (--role sender)');
    // start logs JSON lines (pino): the message's quotes come escaped.
    expect(r.out).toMatch(/\[scheduler\] dispatch pass on \\"\*\/15 \* \* \* \*\\"/);
    expect(r.out).not.toContain('listening on');
    expect(r.out).toContain('SIGTERM: stopping');
    expect(r.code).toBe(0);
  });

  it('site: the public site without the scheduler', async () => {
    const r = await startUntil(temp.dir, 'site', /no dispatch passes/);
    expect(r.out).toMatch(/public site listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(r.out).toContain('site only (--role site)');
    expect(r.out).not.toContain('[scheduler]');
    expect(r.code).toBe(0);
  });

  it('sender with NEWSLETTER_METRICS_TOKEN: its own GET /metrics port, bearer only, pass counters included', async () => {
    const token = 'metrics-token-for-the-test-0123456789';
    const at = /metrics: GET (http:\/\/127\.0\.0\.1:\d+)\/metrics/;
    const r = await startUntil(temp.dir, 'sender', at, {
      env: { NEWSLETTER_METRICS_PORT: '0', NEWSLETTER_METRICS_TOKEN: token },
      async whileUp(out) {
        const base = at.exec(out)?.[1];
        expect(base, out).toBeDefined();
        expect((await fetch(`${base}/metrics`)).status).toBe(401);
        expect(
          (await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all-000' } })).status,
        ).toBe(401);
        expect((await fetch(`${base}/`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
        const ok = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
        expect(ok.status).toBe(200);
        const body = await ok.text();
        expect(body).toContain('newsletter_messages_total{outcome="sent"} 0');
        expect(body).toMatch(/newsletter_subscribers\{status="active"\} 0/);
      },
    });
    expect(r.code).toBe(0);
  });
});
