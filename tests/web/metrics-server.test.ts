import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../src/app.ts';
import { startMetricsServer, type MetricsServer } from '../../src/web/metrics-server.ts';
import { repoRoot, tempProject } from '../support/temp-project.ts';

const TOKEN = 'a-metrics-token-of-decent-length';

/**
 * A `--role sender` process has no public site, so its metrics port is where a container health
 * check or a process manager asks whether it still reaches its database: GET /healthz, as the
 * site answers it, without the metrics token.
 */
describe("GET /healthz on a sender's metrics port", () => {
  let dir: string;
  let app: App;
  let server: MetricsServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ncw-healthz-'));
    app = openApp({
      cwd: dir,
      env: { NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!', NEWSLETTER_METRICS_TOKEN: TOKEN },
    });
    await app.migrate();
    const store = await app.subscribers();
    server = await startMetricsServer((await app.metrics())!, TOKEN, '127.0.0.1', 0, () => store.ping());
  });
  afterAll(async () => {
    await server.close();
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 200 {"ok":true} without a token while the database answers and can write', async () => {
    const res = await fetch(`${server.address}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('keeps /metrics behind the token and every other path or method 404', async () => {
    expect((await fetch(`${server.address}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.address}/healthz`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${server.address}/health`)).status).toBe(404);
  });

  it('answers 503 with Retry-After once the database is gone', async () => {
    await app.close();
    const res = await fetch(`${server.address}/healthz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(await res.json()).toEqual({ ok: false });
  });
});

describe('a running `newsletter start --role sender`', () => {
  it('answers GET /healthz on its metrics port', async () => {
    const tp = await tempProject();
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'start', '--role', 'sender'], {
      cwd: tp.dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        HOST: '127.0.0.1',
        NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!',
        NEWSLETTER_METRICS_TOKEN: TOKEN,
        NEWSLETTER_METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const at = /metrics: GET (http:\/\/127\.0\.0\.1:\d+)\/metrics/;
    try {
      for (let i = 0; i < 400 && !at.test(out) && child.exitCode === null; i++)
        await new Promise((r) => setTimeout(r, 50));
      const base = at.exec(out)?.[1];
      expect(base, out).toBeDefined();
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    } finally {
      child.kill('SIGTERM');
      expect(await closed).toBe(0);
      await tp.cleanup();
    }
  });
});
