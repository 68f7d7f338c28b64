import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinks, linksOf, readLinkRecord, runLinkCheck } from '../../src/check/links.ts';
import { parseTip } from '../../src/content/tips.ts';
import { formatProblem } from '../../src/problems.ts';

let dir: string;
let base: string;
let tlsBase: string;
const closers: (() => void)[] = [];
/** Requests seen by the plain server, and the most it ever had in flight at once. */
const seen: string[] = [];
let inFlight = 0;
let mostInFlight = 0;

function routes(req: IncomingMessage, res: ServerResponse): void {
  seen.push(`${req.method} ${req.url}`);
  inFlight++;
  mostInFlight = Math.max(mostInFlight, inFlight);
  res.on('close', () => inFlight--);
  const answer = (status: number, headers: Record<string, string> = {}): void => {
    setTimeout(() => res.writeHead(status, headers).end(), 20);
  };
  switch (req.url) {
    case '/ok':
    case '/new-path':
      return answer(200);
    case '/old-path':
      return answer(301, { location: '/new-path' });
    case '/for-now':
      return answer(302, { location: '/ok' });
    case '/gone':
      return answer(404);
    case '/broken':
      return answer(500);
    case '/no-head':
      return answer(req.method === 'HEAD' ? 405 : 200);
    case '/never':
      return; // never answers
    default:
      return answer(404);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ncw-links-'));
  const plain = createServer(routes);
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  closers.push(
    () => plain.closeAllConnections(),
    () => plain.close(),
  );
  // A self-signed certificate made for this test: no client trusts it.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const tls = createTlsServer(
    { key: await readFile(path.join(dir, 'key.pem')), cert: await readFile(path.join(dir, 'cert.pem')) },
    (_req, res) => res.writeHead(200).end(),
  );
  await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
  tlsBase = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  closers.push(
    () => tls.closeAllConnections(),
    () => tls.close(),
  );
});
afterAll(async () => {
  for (const close of closers) close();
  await rm(dir, { recursive: true, force: true });
});

const asHttps = (url: string) => url.replace('http://', 'https://');
const options = { timeoutMs: 2_000, slowMs: 5_000, now: () => Date.UTC(2026, 11, 5, 12) };

describe('newsletter check --links against loopback servers', () => {
  it('finds each kind: ok, a permanent redirect with its new address, 404, 500, no answer, bad TLS', async () => {
    seen.length = 0;
    mostInFlight = 0;
    const urls = ['ok', 'old-path', 'for-now', 'gone', 'broken', 'never', 'no-head'].map((p) => `${base}/${p}`);
    const results = await checkLinks([...urls, `${tlsBase}/`], options);
    const verdicts = Object.fromEntries(
      Object.entries(results).map(([u, r]) => [
        u.replace(base, '').replace(tlsBase, 'tls'),
        [r.verdict, r.to ?? r.detail],
      ]),
    );
    expect(verdicts).toEqual({
      '/ok': ['ok', '200'],
      '/old-path': ['moved', `${base}/new-path`],
      '/for-now': ['ok', '200'],
      '/gone': ['dead', '404 Not Found'],
      '/broken': ['dead', '500 Internal Server Error'],
      '/never': ['dead', 'no answer in 2 s'],
      '/no-head': ['ok', '200'],
      'tls/': ['dead', expect.stringMatching(/^TLS: the certificate is not valid \(/)],
    });
    // HEAD first, GET only where HEAD was refused; one request at a time to one host.
    expect(seen.filter((r) => r.endsWith('/no-head'))).toEqual(['HEAD /no-head', 'GET /no-head']);
    expect(seen.filter((r) => r.startsWith('GET'))).toEqual(['GET /no-head']);
    expect(mostInFlight).toBe(1);
  });

  it('a slow answer is reported as slow', async () => {
    const results = await checkLinks([`${base}/ok`], { ...options, slowMs: 5 });
    expect(results[`${base}/ok`]).toMatchObject({ verdict: 'slow' });
  });

  it('reports each link with its file and line, and keeps the results for a day under the data directory', async () => {
    const text = [
      '---',
      'title: Links',
      'week: 1',
      'sources:',
      '  - title: A source on a server with a bad certificate',
      `    url: ${tlsBase}/`,
      '---',
      `The [old page](${asHttps(base)}/old-path) has moved.`,
      '',
      `A page that is gone: <${asHttps(base)}/gone>.`,
      '',
    ].join('\n');
    const parsed = parseTip(text, 'content/tips/01-links.md', { accent: '#1d5f8a' });
    expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // Tips link only to https; the plain loopback server stands in for the sites behind those links.
    const tip = { ...parsed.tip!, sourceMarkdown: parsed.tip!.sourceMarkdown.replaceAll(asHttps(base), base) };
    expect(linksOf([tip]).map((l) => [l.kind, l.line, l.url])).toEqual([
      ['source', 6, `${tlsBase}/`],
      ['body', 8, `${base}/old-path`],
      ['body', 10, `${base}/gone`],
    ]);
    const record = await runLinkCheck([tip], dir, options);
    expect(record.problems.map(formatProblem)).toEqual([
      expect.stringMatching(new RegExp(`^content/tips/01-links.md:6: source ${tlsBase}/ is dead \\(TLS: `)),
      `content/tips/01-links.md:8: warning: link ${base}/old-path has moved for good: use ${base}/new-path instead`,
      `content/tips/01-links.md:10: link ${base}/gone is dead (404 Not Found): replace it with a page that works, or remove it`,
    ]);
    expect((await readLinkRecord(dir))?.problems).toEqual(record.problems);
    // Within the day nothing is asked again; a day later, everything is.
    seen.length = 0;
    await runLinkCheck([tip], dir, { ...options, now: () => options.now() + 3_600_000 });
    expect(seen).toEqual([]);
    await runLinkCheck([tip], dir, { ...options, now: () => options.now() + 25 * 3_600_000 });
    expect(seen.length).toBeGreaterThan(0);
  });
});
