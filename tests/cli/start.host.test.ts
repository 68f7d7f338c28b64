import { readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startRole } from '../support/start-process.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

/**
 * `npm start` on a laptop listened on 0.0.0.0: the sign-up site and the readers' data behind it
 * were reachable from the café's network. HOST now defaults to 127.0.0.1 outside production
 * (0.0.0.0 in production, where a host or a container is meant to be reached).
 */

/** This machine's address on a network (not loopback), if it has one: what a neighbour would connect to. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** `newsletter start --role site` with HOST unset, until it says where it listens; its port and start-up line, and a stop. */
async function startSite(dir: string, env: Record<string, string>) {
  const child = startRole(dir, 'site', env);
  await child.until(/listening on/, 30_000);
  const line = /"msg":"([^"]*listening on[^"]*)"/.exec(child.out())?.[1];
  if (!line) {
    await child.stop();
    throw new Error(`no listening line: ${child.out()}`);
  }
  return {
    line,
    port: Number(/listening on http:\/\/[^ ]+:(\d+)/.exec(line)![1]),
    stop: () => child.stop(),
  };
}

/** Whether GET /healthz answers at `host:port`. */
const answers = (host: string, port: number) =>
  fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
    (r) => r.ok,
    () => false,
  );

describe('HOST: this machine only, unless production or HOST says otherwise', () => {
  let temp: TempProject;
  let sink: SmtpSink;
  beforeAll(async () => {
    temp = await tempProject();
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
    await temp.cleanup();
  });

  it("outside production: listens on 127.0.0.1 and says so; not reachable at the machine's network address", async () => {
    const site = await startSite(temp.dir, {});
    try {
      expect(site.line).toMatch(
        /^Night Cramp Weekly: public site listening on http:\/\/127\.0\.0\.1:\d+ \(this machine only; HOST=0\.0\.0\.0 serves the network\); open http:\/\/127\.0\.0\.1:\d+ /,
      );
      expect(await answers('127.0.0.1', site.port)).toBe(true);
      if (lanAddress) expect(await answers(lanAddress, site.port)).toBe(false);
    } finally {
      expect(await site.stop()).toBe(0);
    }
  }, 60_000);

  it('HOST=0.0.0.0 on purpose, or NODE_ENV=production: every interface, and start-up says so', async () => {
    const chosen = await startSite(temp.dir, { HOST: '0.0.0.0' });
    try {
      expect(chosen.line).toMatch(
        /listening on http:\/\/0\.0\.0\.0:\d+ \(every network interface\); open http:\/\/localhost:\d+ /,
      );
      if (lanAddress) expect(await answers(lanAddress, chosen.port)).toBe(true);
    } finally {
      await chosen.stop();
    }

    // Production with its launch gates met (see production-gates.test.ts).
    const series = path.join(temp.dir, 'content/series.yml');
    await writeFile(
      series,
      (await readFile(series, 'utf8')).replace(
        /^postalAddress: .*$/m,
        'postalAddress: Night Cramp Weekly, 4 Harbour Street, Whitby, YO21 3PR',
      ),
    );
    const production = await startSite(temp.dir, {
      NODE_ENV: 'production',
      NEWSLETTER_BASE_URL: 'https://newsletter.night-cramp-weekly.net',
      NEWSLETTER_FROM: 'Night Cramp Weekly <tips@night-cramp-weekly.net>',
      NEWSLETTER_SMTP_URL: sink.url,
    });
    try {
      expect(production.line).toMatch(/listening on http:\/\/0\.0\.0\.0:\d+ \(every network interface\)/);
      expect(await answers('127.0.0.1', production.port)).toBe(true);
      if (lanAddress) expect(await answers(lanAddress, production.port)).toBe(true);
    } finally {
      await production.stop();
    }
  }, 90_000);
});
