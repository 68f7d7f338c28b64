import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startProcess, type StartedProcess } from '../support/start-process.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';

const exec = promisify(execFile);

/**
 * docker-compose.yml cannot run here (no container registry, no Docker daemon). What can be
 * checked without containers is checked: the services agree with each other and with the README,
 * and the site's command and health check, run as the file declares them, work on PostgreSQL.
 */
interface Service {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  ports?: string[];
  image?: string;
}
const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};

/** Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?message}` against `vars`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const set = vars[name];
    if (set !== undefined && set !== '') return set;
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

const environmentOf = (service: Service, vars: Record<string, string>) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]));

const SECRET = 'compose-test-secret-0123456789abcdef0123456789';
/** What the file asks the operator to put in .env (the SMTP URL is a test's sink where it is used). */
const DOTENV = {
  NEWSLETTER_SECRET: SECRET,
  NEWSLETTER_BASE_URL: 'https://newsletter.night-cramp-weekly.net',
  NEWSLETTER_SMTP_URL: 'smtp://127.0.0.1:2525',
  NEWSLETTER_METRICS_TOKEN: 'compose-test-metrics-token',
};

describe('docker-compose.yml (not runnable here: checked without containers)', () => {
  const { site, sender, db } = compose.services;

  it('has a site, a sender and PostgreSQL, the app services built from this checkout', () => {
    expect(site?.command).toBeDefined();
    expect(sender?.command).toBeDefined();
    expect(db?.image).toMatch(/^postgres:1[5-9]/);
  });

  it('points the app at the db service with the user, password and database that service creates', () => {
    const dbEnv = environmentOf(db!, {});
    for (const app of [site!, sender!]) {
      const url = new URL(environmentOf(app, DOTENV).NEWSLETTER_DATABASE_URL!);
      expect(url.protocol).toBe('postgres:');
      expect(url.hostname).toBe('db');
      expect(url.port).toBe('5432');
      expect(decodeURIComponent(url.username)).toBe(dbEnv.POSTGRES_USER);
      expect(decodeURIComponent(url.password)).toBe(dbEnv.POSTGRES_PASSWORD);
      expect(url.pathname).toBe(`/${dbEnv.POSTGRES_DB}`);
    }
    // A password set in .env reaches both sides.
    expect(
      new URL(environmentOf(site!, { ...DOTENV, POSTGRES_PASSWORD: 'p4ss' }).NEWSLETTER_DATABASE_URL!).password,
    ).toBe('p4ss');
    expect(environmentOf(db!, { POSTGRES_PASSWORD: 'p4ss' }).POSTGRES_PASSWORD).toBe('p4ss');
  });

  it('refuses to start without a shared NEWSLETTER_SECRET, the public base URL or an SMTP URL, and names only documented variables', () => {
    expect(() => environmentOf(site!, {})).toThrow(/NEWSLETTER_SECRET/);
    // NODE_ENV=production: no http://localhost default, and no silent outbox instead of a relay.
    // NEWSLETTER_METRICS_TOKEN: a sender opens its metrics port, and so its /healthz, only with one.
    for (const name of ['NEWSLETTER_BASE_URL', 'NEWSLETTER_SMTP_URL', 'NEWSLETTER_METRICS_TOKEN'] as const) {
      for (const app of [site!, sender!])
        expect(() => environmentOf(app, { ...DOTENV, [name]: '' })).toThrow(new RegExp(`^${name}: put ${name}=`));
    }
    expect(environmentOf(sender!, DOTENV)).toMatchObject({ NODE_ENV: 'production', NEWSLETTER_FROM: '' });
    // The table of variables moved from the README to docs/configuration.md.
    const readme = readFileSync(path.join(repoRoot, 'docs/configuration.md'), 'utf8');
    for (const name of Object.keys(site!.environment ?? {}).filter((n) => n.startsWith('NEWSLETTER_')))
      expect(readme, name).toContain(`| \`${name}\` |`);
  });

  it('runs the command the package runs, with the same V8 flags as bin/newsletter.js', () => {
    const flags = readFileSync(path.join(repoRoot, 'bin/newsletter.js'), 'utf8')
      .split('\n')[0]!
      .split(/\s+/)
      .filter((w) => w.startsWith('--'));
    for (const [service, role] of [
      [site!, 'site'],
      [sender!, 'sender'],
    ] as const) {
      expect(service.command).toEqual(['node', ...flags, 'bin/newsletter.js', 'start', '--role', role]);
    }
    // The site publishes the port it listens on by default (PORT is not set in the file).
    expect(site!.ports).toEqual(['3000:3000']);
    expect(site!.environment).not.toHaveProperty('PORT');
  });
});

describeEachEngine(
  'the compose site service, run as declared',
  (engine) => {
    const store = useTestStore(engine);
    let tp: TempProject;
    let sink: SmtpSink;
    let running: StartedProcess | undefined;
    beforeAll(async () => {
      tp = await tempProject();
      sink = await startSmtpSink();
    });
    afterAll(async () => {
      await running?.stop();
      await sink.close();
      await tp.cleanup();
    });
    const site = compose.services.site!;
    const args = site.command!.slice(site.command!.indexOf('start') + 1);
    /** The file's environment with the operator's .env, the database being this machine's test server. */
    const envFor = (dotenv: Record<string, string>) => {
      if (store.database.kind !== 'postgres') throw new Error('PostgreSQL expected');
      return { ...environmentOf(site, dotenv), NEWSLETTER_DATABASE_URL: store.database.url };
    };

    it('with the content as shipped (placeholder postal address, a .example sender) and an http base URL, it does not start: it prints what check --production prints', async () => {
      const env = envFor({ ...DOTENV, NEWSLETTER_BASE_URL: 'http://localhost:3000', NEWSLETTER_SMTP_URL: sink.url });
      const r = await exec(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'start', ...args], {
        cwd: tp.dir,
        env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
      }).then(
        () => ({ code: 0, stdout: '' }),
        (e: { code: number; stdout: string }) => e,
      );
      expect(r.code).toBe(1);
      const messages = r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { msg: string }).msg);
      expect(messages).toEqual([
        'NEWSLETTER_BASE_URL is http://localhost:3000: production needs https (RFC 8058 one-click unsubscribe and every link in the emails): set NEWSLETTER_BASE_URL=https://your-domain.org',
        // start's log lines mask every address.
        expect.stringMatching(/^content\/series\.yml:8: from\.address <address> is on a reserved example domain/),
        expect.stringMatching(/^content\/series\.yml:10: postalAddress is still the placeholder/),
        'NODE_ENV=production: `newsletter start` sends nothing while `newsletter check --production` fails; fix the 3 problems above, then run it again',
      ]);
      expect(sink.received).toEqual([]);
    });

    it("starts with the file's environment once the operator has set it up, and passes its own health check", async () => {
      const series = path.join(tp.dir, 'content/series.yml');
      await writeFile(
        series,
        (await readFile(series, 'utf8')).replace(
          /^postalAddress: .*$/m,
          'postalAddress: Night Cramp Weekly, 4 Harbour Street, Whitby, YO21 3PR',
        ),
      );
      const env = envFor({
        ...DOTENV,
        NEWSLETTER_SMTP_URL: sink.url,
        NEWSLETTER_FROM: 'Night Cramp Weekly <tips@night-cramp-weekly.net>',
      });
      running = await startProcess(tp.dir, args, env);
      const port = new URL(running.url).port;
      const [cmd, ...rest] = site.healthcheck!.test;
      expect(cmd).toBe('CMD');
      expect(rest[0]).toBe('node');
      const check = rest.slice(1).map((a) => a.replace('127.0.0.1:3000', `127.0.0.1:${port}`));
      await expect(exec(process.execPath, check, { timeout: 10_000 })).resolves.toBeDefined();
      // And the check fails when the site does not answer.
      await running.stop();
      running = undefined;
      await expect(exec(process.execPath, check, { timeout: 10_000 })).rejects.toMatchObject({ code: 1 });
    });
  },
  'postgres',
);
