import { readdir, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSecret } from '../../src/config.ts';
import { startStudioServer, type StudioServer } from '../../src/preview/server.ts';
import { verifyToken } from '../../src/subscription/tokens.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

let project: TempProject;
let server: StudioServer;

beforeAll(async () => {
  project = await tempProject();
  server = await startStudioServer({ config: project.config, port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await server?.close();
  await project?.cleanup();
});

const api = async (route: string, init?: RequestInit) => fetch(`${server.url}${route}`, init);

/** A request with a Host header of our choosing (fetch does not allow setting it). */
function rawGet(route: string, host: string): Promise<number> {
  const url = new URL(route, server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the studio server', () => {
  it('listens on loopback and refuses requests made through another host name', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await rawGet('/', `127.0.0.1:${new URL(server.url).port}`)).toBe(200);
    expect(await rawGet('/api/list', 'attacker.example:80')).toBe(421);
  });

  it('serves its own assets with a policy that loads nothing from elsewhere', async () => {
    const page = await api('/');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect((await api('/assets/studio.js')).headers.get('content-type')).toMatch(/javascript/);
    // Sent as written: fetch would resolve the dots before they reach the server.
    const host = `127.0.0.1:${new URL(server.url).port}`;
    for (const route of ['/assets/../server.ts', '/assets/..%2fserver.ts', '/assets/%2e%2e/%2e%2e/package.json'])
      expect(await rawGet(route, host)).toBe(404);
  });

  it('lists the series in week order, then the system emails', async () => {
    const list = (await (await api('/api/list')).json()) as { emails: { id: string; kind: string; week?: number }[] };
    const weeks = list.emails.filter((e) => e.kind === 'tip').map((e) => e.week);
    expect(weeks).toEqual([...weeks].sort((a, b) => a! - b!));
    expect(weeks.length).toBeGreaterThanOrEqual(12);
    expect(list.emails.filter((e) => e.kind === 'system').map((e) => e.id)).toEqual([
      'system:confirm',
      'system:welcome',
      'system:goodbye',
    ]);
  });

  it('renders for each sample reader, escaping the long name', async () => {
    const get = async (reader: string) =>
      (
        (await (await api(`/api/email?id=tip:stop-it-in-its-tracks&reader=${reader}`)).json()) as {
          email: { html: string; text: string };
        }
      ).email;
    expect((await get('first')).text).toContain('Hi Sam,');
    expect((await get('none')).text).toContain('Hi there,');
    const long = await get('long');
    expect(long.html).toContain('O&#39;Brien &amp; Wolfeschlegelsteinhausenberger');
    expect(long.html).not.toContain("O'Brien & Wolf");
  });

  it('shows a broken template as its file, line and message instead of the email', async () => {
    const file = path.join(project.dir, 'templates/tip.mjml.hbs');
    const original = await readFile(file, 'utf8');
    const lines = original.split('\n');
    lines.splice(2, 0, '{{#if tip.week}}');
    await writeFile(file, lines.join('\n'));
    try {
      await server.studio.reload();
      const broken = (await (await api('/api/email?id=tip:stop-it-in-its-tracks')).json()) as {
        ok: boolean;
        problems: { file: string; line?: number; message: string }[];
      };
      expect(broken.ok).toBe(false);
      expect(broken.problems[0]).toMatchObject({ file: 'templates/tip.mjml.hbs' });
      expect(broken.problems[0]!.message).toMatch(/Handlebars/);
      expect(broken.problems[0]!.line).toBeGreaterThan(0);
    } finally {
      await writeFile(file, original);
      await server.studio.reload();
    }
    expect(((await (await api('/api/email?id=tip:stop-it-in-its-tracks')).json()) as { ok: boolean }).ok).toBe(true);
  });

  it('sends a test through the configured transport (the outbox here), links signed with a throwaway key', async () => {
    const before = new Set(await readdir(project.config.outboxDir));
    const res = await api('/api/send-test', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'tip:stop-it-in-its-tracks', reader: 'first', to: 'editor@example.org' }),
    });
    expect(res.status).toBe(200);
    const written = (await readdir(project.config.outboxDir)).filter((n) => n.endsWith('.eml') && !before.has(n));
    expect(written).toHaveLength(1);
    const mail = await simpleParser(await readFile(path.join(project.config.outboxDir, written[0]!)));
    expect(mail.subject).toBe('Week 3: stop a cramp in its tracks');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address : '').toBe('editor@example.org');
    const line = mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribe = /<([^>]+)>/.exec(line)![1]!;
    const token = new URL(unsubscribe).searchParams.get('token');
    expect(verifyToken(resolveSecret(project.config), token, 'unsubscribe', new Date())).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses test sends that are not plain JSON from the studio itself, or lack a good address', async () => {
    const send = (body: string, headers: Record<string, string>) =>
      api('/api/send-test', { method: 'POST', body, headers });
    const good = JSON.stringify({ id: 'tip:stop-it-in-its-tracks', to: 'editor@example.org' });
    expect((await send(good, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await send(good, { 'content-type': 'application/json', origin: 'https://attacker.example' })).status).toBe(
      403,
    );
    const bad = await send(JSON.stringify({ id: 'tip:stop-it-in-its-tracks', to: 'not an address' }), {
      'content-type': 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/email address/);
  });
});

describe('newsletter preview (command line)', () => {
  it('rejects a bad port with usage', async () => {
    const run = await runCli(['preview', '--port', 'eighty'], project.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--port must be a number/);
  });

  it('says what to do when the port is taken, and exits', async () => {
    const port = new URL(server.url).port;
    const run = await runCli(['preview', '--port', port], project.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `port ${port} is in use: stop the other studio or pick another port, e.g. newsletter preview --port ${Number(port) + 1}`,
    );
  });

  it('is listed in --help', async () => {
    const run = await runCli(['--help'], project.dir);
    expect(run.stdout).toMatch(/preview\s+the editors' live preview studio/);
  });
});

describe('the studio never answers a prototype key with a file path', () => {
  it.each([
    '/assets/constructor',
    '/assets/__proto__',
    '/assets/toString',
    '/assets/hasOwnProperty',
    '/__proto__',
    '/toString',
    '/constructor',
    '/assets/..%2Fserver.js',
  ])('%s is a 404 without a path', async (route) => {
    const res = await api(route);
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).not.toContain('/');
    expect(body).not.toContain(project.dir);
  });

  it('the real assets are still served', async () => {
    const res = await api('/assets/studio.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/css');
  });
});
