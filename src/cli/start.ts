import { previousSecrets } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { startSite } from '../web/index.ts';
import { UsageError, type LeafCommand } from './command.ts';
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

const start: LeafCommand = {
  usage: [
    'newsletter start [--role site|sender|all]',
    '',
    'Applies database migrations, then runs the service until Ctrl-C (SIGINT) or SIGTERM:',
    '  --role all     the public site and the sender in one process (default)',
    '  --role site    the public site on HOST:PORT only: no dispatch passes (default 127.0.0.1:3000,',
    '                this machine only; 0.0.0.0:3000 with NODE_ENV=production)',
    '  --role sender  the dispatcher on NEWSLETTER_CRON and its chores (erase stale sign-ups,',
    '                 send queued confirmations, welcomes and goodbyes) only: no HTTP listener',
    'Any number of each may share one PostgreSQL database. Emails go through NEWSLETTER_SMTP_URL,',
    'or into the outbox folder when it is unset. With NODE_ENV=production it does not start while',
    '`newsletter check --production` fails (printing those problems), and needs NEWSLETTER_SMTP_URL',
    '(the outbox folder only when NEWSLETTER_OUTBOX_DIR is set).',
  ].join('\n'),
  options: { role: { type: 'string' } },
  run: ({ values }, cliIo) => {
    const role = roleOf(values.role);
    return withApp(
      cliIo,
      async (app) => {
        const { config } = app;
        const log = await app.logger();
        const io = loggingIo(cliIo, log);
        // A broken project stops the start before the database is touched.
        const project = await app.project();
        // In production every role sends (the site confirmations and welcomes, the sender tips):
        // a failing launch gate, or no SMTP URL, stops the start before anything listens or sends.
        if (await refusedByProductionGates(config, project.series, io.err, 'start')) return 1;
        const mailer = await app.mailer();
        let applied: string[];
        try {
          applied = await app.migrate();
        } catch (e) {
          if (e instanceof ConfigError) throw e;
          io.err(e instanceof Error ? e.message : String(e));
          return 1;
        }
        // After the migrations: a missing key is refused once the database has readers.
        const secret = app.secret;
        if (applied.length) io.out(`database: applied ${applied.join(', ')}`);
        const subscriptions = await app.subscriptions();
        const metrics = await app.metrics();
        const sends = role !== 'site';
        const serves = role !== 'sender';
        if (sends) {
          // A chore, not a reason to stop: the scheduler purges again after each pass.
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

        // Listened for before anything starts: a signal as soon as the site or the scheduler says
        // it is up still stops it cleanly.
        const stop = stopSignal();
        let site: Awaited<ReturnType<typeof startSite>> | undefined;
        let content: { close(): Promise<void> } | undefined;
        if (serves) {
          try {
            // Loaded only by a process that serves: a sender never loads Fastify, a site never node-cron.
            const { startSite, liveContent } = await import('../web/index.ts');
            const { describeReaderData } = await import('../store/reader-data.ts');
            // Public pages follow the content folder: an edited tip shows on its page without a restart.
            const live = await liveContent({
              initial: project,
              load: () => app.project({ reload: true }),
              folders: [config.contentDir],
              rootDir: config.rootDir,
              log: (line) => io.err(line),
            });
            content = live;
            const db = await app.db();
            site = await startSite(config, {
              content: live,
              readerData: () => describeReaderData(db),
              subscriptions,
              feedback: await app.feedback(),
              store: await app.subscribers(),
              series: project.series,
              secret,
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
                      store: (await import('../store/bounces.ts')).kyselyBounceStore(await app.db()),
                      secret,
                      previousSecrets: previousSecrets(config),
                    },
                  }
                : {}),
            });
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            await content?.close();
            if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw e;
            io.err(
              `cannot listen on ${config.host}:${config.port} (${code}): set PORT (and HOST) to a free address, e.g. PORT=3001`,
            );
            return 1;
          }
        }
        if (site) {
          const everywhere = config.host === '0.0.0.0' || config.host === '::';
          const open = everywhere ? `http://localhost:${site.port}` : site.address;
          const reach = everywhere
            ? ' (every network interface)'
            : /^(127\.|::1$|localhost$)/.test(config.host)
              ? ' (this machine only; HOST=0.0.0.0 serves the network)'
              : '';
          io.out(
            `${project.series.name}: public site listening on ${site.address}${reach}; open ${open} (links in emails use ${config.baseUrl})`,
          );
        } else io.out(`${project.series.name}: sender only (--role sender), no public site in this process`);
        io.out(`emails go through ${mailer.describe()}`);

        // The scheduler's connection is the durable one: the ledger's commits are synced to disk,
        // the site's are not.
        const scheduler = sends
          ? (await import('../schedule/scheduler.ts')).startScheduler(config, {
              db: await app.db({ durable: true }),
              mailer,
              subscriptions,
              loadProject: () => app.project({ reload: true }),
              log: (line, fields) => log.info(fields ?? {}, line),
              ...(metrics ? { onPass: (summary) => metrics.recordPass(summary) } : {}),
            })
          : undefined;
        if (!scheduler) io.out('site only (--role site): no dispatch passes in this process');
        // A sender has no site to hang GET /metrics on, and its pass counters exist only in it.
        let metricsServer: { address: string; close(): Promise<void> } | undefined;
        if (!site && metrics && config.metricsToken) {
          const { startMetricsServer } = await import('../web/metrics-server.ts');
          try {
            metricsServer = await startMetricsServer(metrics, config.metricsToken, config.host, config.metricsPort);
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw e;
            io.err(
              `cannot serve metrics on ${config.host}:${config.metricsPort} (${code}): set NEWSLETTER_METRICS_PORT to a free port, e.g. NEWSLETTER_METRICS_PORT=9465`,
            );
            await scheduler?.stop();
            return 1;
          }
          io.out(`metrics: GET ${metricsServer.address}/metrics (bearer NEWSLETTER_METRICS_TOKEN)`);
        }

        const signal = await stop;
        io.out(`${signal}: stopping`);
        // A pass in progress finishes first (its claims settle), then the site closes.
        await scheduler?.stop();
        await site?.close();
        await content?.close();
        await metricsServer?.close();
        return 0;
      },
      { logTo: stdoutOf(cliIo) },
    );
  },
};

export default start;
