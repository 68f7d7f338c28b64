import { dataDir, previousSecrets } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { App } from '../app.ts';
import type { Logger } from '../log.ts';
import type { Project } from '../render/project.ts';
import type { Scheduler } from '../schedule/scheduler.ts';
import type { Subscriptions } from '../subscription/subscriptions.ts';
import type { Metrics } from '../web/metrics.ts';
import type { SiteDeps } from '../web/site.ts';
import { UsageError, type Io, type LeafCommand } from './command.ts';
import { loggingIo, stdoutOf } from './log-io.ts';
import { refusedByProductionGates } from './production-gates.ts';
import { withApp } from './with-app.ts';

/** Resolves on the first SIGINT or SIGTERM. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

const ROLES = ['site', 'sender', 'all'] as const;
type Role = (typeof ROLES)[number];

function roleOf(value: unknown): Role {
  if (value === undefined) return 'all';
  if (ROLES.includes(value as Role)) return value as Role;
  throw new UsageError(`--role "${String(value)}" is not a role; use site, sender or all, e.g. --role sender`);
}

/** Something `start` runs until the stop signal, then closes. */
interface Running {
  close(): Promise<void>;
}

/** What the site and the sender share once the start-up checks passed. */
interface Started {
  app: App;
  io: Io;
  log: Logger;
  project: Project;
  subscriptions: Subscriptions;
  metrics: Metrics | undefined;
}

/** A listener refused its address: the one line that says which setting to change, or undefined (not a listen error). */
function listenRefused(e: unknown, where: string, fix: string): string | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return undefined;
  return `cannot ${where} (${code}): ${fix}`;
}

const start: LeafCommand = {
  usage: [
    'newsletter start [--role site|sender|all]',
    '',
    'Applies database migrations, then runs the service until Ctrl-C (SIGINT) or SIGTERM:',
    '  --role all     the public site and the sender in one process (default)',
    '  --role site    the public site on HOST:PORT only: no dispatch passes (default 127.0.0.1:3000,',
    '                this machine only; 0.0.0.0:3000 with NODE_ENV=production)',
    '  --role sender  the dispatcher on NEWSLETTER_CRON and its chores (erase stale sign-ups,',
    '                 send queued confirmations, welcomes and goodbyes) only: no public site; with',
    '                 NEWSLETTER_METRICS_TOKEN set, GET /healthz and GET /metrics on',
    '                 HOST:NEWSLETTER_METRICS_PORT (default 9464)',
    'Any number of each may share one PostgreSQL database. Emails go through NEWSLETTER_SMTP_URL,',
    'or into the outbox folder when it is unset. With NODE_ENV=production it does not start while',
    '`newsletter check --production` fails (printing those problems), and needs NEWSLETTER_SMTP_URL',
    '(the outbox folder only when NEWSLETTER_OUTBOX_DIR is set).',
  ].join('\n'),
  options: { role: { type: 'string' } },
  run: ({ values }, cliIo) => {
    const role = roleOf(values.role);
    return withApp(cliIo, (app) => runService(app, cliIo, role), { logTo: stdoutOf(cliIo) });
  },
};

/** The checks before anything listens or sends, then the site and the sender, until a stop signal. */
async function runService(app: App, cliIo: Io, role: Role): Promise<number> {
  const log = await app.logger();
  const io = loggingIo(cliIo, log);
  const started = await startUp(app, io, log);
  if (typeof started === 'number') return started;
  if (role !== 'site') await purgeStaleSignUps(started);
  // Listened for before anything starts: a signal as soon as the site or the scheduler says
  // it is up still stops it cleanly.
  const stop = stopSignal();
  const running: Running[] = [];
  try {
    if (role !== 'sender') running.push(await serveSite(started));
    else io.out(`${started.project.series.name}: sender only (--role sender), no public site in this process`);
    io.out(`emails go through ${(await app.mailer()).describe()}`);
    if (role !== 'site') running.push(...(await runSender(started, role === 'sender')));
    else io.out('site only (--role site): no dispatch passes in this process');
    // After the site listens, so its own probe can reach it; never holds the start; stopped first.
    if (app.config.production) running.push(doctorAtBoot(started));
  } catch (e) {
    // Closed in reverse: a pass in progress finishes first (its claims settle), then the site.
    for (const part of running.reverse()) await part.close();
    const line = e instanceof ListenError ? e.message : undefined;
    if (!line) throw e;
    io.err(line);
    return 1;
  }
  io.out(`${await stop}: stopping`);
  // The sender first: a pass in progress finishes (its claims settle), then the site closes.
  for (const part of running.reverse()) await part.close();
  return 0;
}

/**
 * In production, `newsletter doctor` once at boot, in the background: each finding short of ✓
 * is logged (a ✗ as an error) with what to do; the service runs on whatever it finds, since a
 * DNS record is fixed elsewhere and a restart would not fix it. A stop cancels it.
 */
function doctorAtBoot({ app, log, project }: Started): Running {
  const stop = new AbortController();
  const done = import('../check/doctor/run-doctor.ts')
    .then(({ runDoctor, formatFinding }) =>
      runDoctor({ config: app.config, project, secret: app.secret, now: app.now(), signal: stop.signal }).then(
        (findings) => {
          if (stop.signal.aborted) return;
          for (const f of findings.filter((f) => f.verdict !== 'ok')) {
            const fields = {
              check: f.check,
              verdict: f.verdict,
              ...(f.fix ? { fix: f.fix } : {}),
              ...(f.record ? { record: f.record } : {}),
            };
            const line = `doctor: ${formatFinding(f).join(' ')}`;
            if (f.verdict === 'fail') log.error(fields, line);
            else log.warn(fields, line);
          }
          const count = (v: string) => findings.filter((f) => f.verdict === v).length;
          log.info(
            { ok: count('ok'), warn: count('warn'), fail: count('fail') },
            `doctor: ${count('ok')} ✓, ${count('warn')} ⚠, ${count('fail')} ✗${count('fail') ? '; run `newsletter doctor` for the records to publish' : ''}`,
          );
        },
      ),
    )
    .catch((e: unknown) => {
      if (!stop.signal.aborted) log.error({}, `doctor: could not run (${e instanceof Error ? e.message : String(e)})`);
    });
  return {
    async close() {
      stop.abort();
      // DNS, the site and the relay's probe stop at once; a login in progress is not waited for.
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    },
  };
}

/** A listener that could not take its address; its message is the one line for the operator. */
class ListenError extends Error {}

/**
 * The project, the production gates, the mailer and the migrations, in that order: a broken
 * project stops the start before the database is touched, a failing gate before anything
 * listens or sends. An exit code when the start stops here.
 */
async function startUp(app: App, io: Io, log: Logger): Promise<Started | number> {
  // With the publish rules' holds: the site and the sender leave out what `check` fails.
  const project = await app.released();
  // In production every role sends (the site confirmations and welcomes, the sender tips):
  // a failing launch gate, or no SMTP URL, stops the start before anything listens or sends.
  if (await refusedByProductionGates(app.config, project.series, io.err, 'start')) return 1;
  await app.mailer();
  let applied: string[];
  try {
    applied = await app.migrate();
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    io.err(e instanceof Error ? e.message : String(e));
    return 1;
  }
  // After the migrations: a missing key is refused once the database has readers.
  void app.secret;
  if (applied.length) io.out(`database: applied ${applied.join(', ')}`);
  return { app, io, log, project, subscriptions: await app.subscriptions(), metrics: await app.metrics() };
}

/** A chore, not a reason to stop: the scheduler purges again after each pass. */
async function purgeStaleSignUps({ app, io, subscriptions }: Started): Promise<void> {
  const purged = await subscriptions.purgePending(app.now()).catch((e: unknown) => {
    io.err(
      `database: stale sign-ups not erased now (${e instanceof Error ? e.message : String(e)}); the scheduler tries again after its next pass`,
    );
    return 0;
  });
  if (purged)
    io.out(
      `database: erased ${purged} pending subscriber${purged === 1 ? '' : 's'} who did not confirm within 30 days`,
    );
}

/** The public site on HOST:PORT, its pages following the content folder. */
async function serveSite(started: Started): Promise<Running> {
  const { app, io, project } = started;
  const { config } = app;
  // Loaded only by a process that serves: a sender never loads Fastify, a site never node-cron.
  const { startSite, liveContent } = await import('../web/index.ts');
  // Public pages follow the content folder: an edited tip shows on its page without a restart.
  const content = await liveContent({
    initial: project,
    load: () => app.released({ reload: true }),
    folders: [config.contentDir],
    rootDir: config.rootDir,
    log: (line) => io.err(line),
  });
  let site;
  try {
    site = await startSite(config, await siteDeps(started, content));
  } catch (e) {
    await content.close();
    const line = listenRefused(
      e,
      `listen on ${config.host}:${config.port}`,
      'set PORT (and HOST) to a free address, e.g. PORT=3001',
    );
    throw line ? new ListenError(line) : e;
  }
  io.out(
    `${project.series.name}: public site listening on ${site.address}${reachOf(config.host)}; open ${openAt(config.host, site)} (links in emails use ${config.baseUrl})`,
  );
  return {
    async close() {
      await site.close();
      await content.close();
    },
  };
}

/** The site's parts, all from the app. */
async function siteDeps(
  { app, io, project, subscriptions, metrics }: Started,
  content: SiteDeps['content'],
): Promise<SiteDeps> {
  const { config } = app;
  return {
    content,
    readerData: () => app.readerData(),
    subscriptions,
    feedback: await app.feedback(),
    store: await app.subscribers(),
    series: project.series,
    secret: app.secret,
    now: app.now,
    log: (line) => io.err(line),
    trustProxy: config.trustProxy,
    limitCounter: await app.limitCounter(),
    ...(metrics && config.metricsToken ? { metrics: { token: config.metricsToken, metrics } } : {}),
    ...(config.webhookPostmarkAuth || config.webhookMailgunKey
      ? {
          webhooks: {
            settings: {
              ...(config.webhookPostmarkAuth ? { postmarkAuth: config.webhookPostmarkAuth } : {}),
              ...(config.webhookMailgunKey ? { mailgunKey: config.webhookMailgunKey } : {}),
            },
            store: (await app.bounces()).store,
            secret: app.secret,
            previousSecrets: previousSecrets(config),
          },
        }
      : {}),
  };
}

const everywhere = (host: string) => host === '0.0.0.0' || host === '::';

/** Who can reach the site, in words. */
function reachOf(host: string): string {
  if (everywhere(host)) return ' (every network interface)';
  return /^(127\.|::1$|localhost$)/.test(host) ? ' (this machine only; HOST=0.0.0.0 serves the network)' : '';
}

const openAt = (host: string, site: { port: number; address: string }) =>
  everywhere(host) ? `http://localhost:${site.port}` : site.address;

/**
 * The scheduler's dispatch passes on NEWSLETTER_CRON and, for a process without a site, GET
 * /metrics on its own port (a sender's pass counters exist only in it).
 */
/** Mondays at 05:00 (the server's zone): sources are checked weekly, at an hour nobody reads. */
const WEEKLY_LINK_CHECK = '0 5 * * 1';

async function runSender(started: Started, alone: boolean): Promise<Running[]> {
  const { app, log, subscriptions, metrics } = started;
  const { config } = app;
  const [pass, corrections, { startScheduler }] = await Promise.all([
    app.deliveryPass(),
    app.corrections(),
    import('../schedule/scheduler.ts'),
  ]);
  const scheduler: Scheduler = startScheduler({
    cron: config.cron,
    pass,
    corrections,
    linkCheck: {
      cron: WEEKLY_LINK_CHECK,
      run: async () => {
        const { runLinkCheck } = await import('../check/links.ts');
        return runLinkCheck((await app.project({ reload: true })).tips, dataDir(config), {
          now: () => app.now().getTime(),
        });
      },
    },
    subscriptions,
    loadProject: () => app.released({ reload: true }),
    ...(config.bounceImapUrl ? { bounceMailbox: { url: config.bounceImapUrl, deps: () => app.bounces() } } : {}),
    log: (line, fields) => log.info(fields ?? {}, line),
    ...(metrics ? { onPass: (summary) => metrics.recordPass(summary) } : {}),
  });
  const running: Running[] = [{ close: () => scheduler.stop() }];
  if (alone && metrics && config.metricsToken) {
    try {
      running.push(await serveMetrics(started, metrics, config.metricsToken));
    } catch (e) {
      await scheduler.stop();
      throw e;
    }
  }
  return running;
}

async function serveMetrics({ app, io }: Started, metrics: Metrics, token: string): Promise<Running> {
  const { config } = app;
  const { startMetricsServer } = await import('../web/metrics-server.ts');
  let server;
  try {
    // /healthz asks what the site's asks: the database answers and can take a write.
    const ping = async () => (await app.subscribers()).ping();
    server = await startMetricsServer(metrics, token, config.host, config.metricsPort, ping);
  } catch (e) {
    const line = listenRefused(
      e,
      `serve metrics on ${config.host}:${config.metricsPort}`,
      'set NEWSLETTER_METRICS_PORT to a free port, e.g. NEWSLETTER_METRICS_PORT=9465',
    );
    throw line ? new ListenError(line) : e;
  }
  io.out(`metrics: GET ${server.address}/metrics (bearer NEWSLETTER_METRICS_TOKEN)`);
  return server;
}

export default start;
