import { loadConfig, readEnv, resolveSecret } from '../config.ts';
import { createMailer } from '../mailer/create-mailer.ts';
import { loadProject } from '../render/project.ts';
import { startScheduler } from '../schedule/scheduler.ts';
import { migrate, openStore } from '../store/database.ts';
import { createSubscriberStore } from '../store/subscribers.ts';
import { purgeUnconfirmed } from '../subscription/subscriptions.ts';
import { startSite } from '../web/index.ts';
import type { Command } from './command.ts';

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

export const startCommand: Command = {
  name: 'start',
  summary: 'the main job: public site and scheduler in one process',
  usage: [
    'newsletter start',
    '',
    'Applies database migrations, then serves the public site on HOST:PORT (default 0.0.0.0:3000)',
    'and sends through NEWSLETTER_SMTP_URL, or into the outbox folder when it is unset.',
    'Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.',
  ].join('\n'),
  async run(_args, io) {
    const config = loadConfig(readEnv(io.cwd, io.env), io.cwd);
    const project = await loadProject(config);
    const secret = resolveSecret(config);
    const db = openStore(config.database);
    const mailer = createMailer(config);
    try {
      let applied: string[];
      try {
        applied = await migrate(db);
      } catch (e) {
        io.err(e instanceof Error ? e.message : String(e));
        return 1;
      }
      if (applied.length) io.out(`database: applied ${applied.join(', ')}`);
      const store = createSubscriberStore(db);
      const purged = await purgeUnconfirmed(store, io.now());
      if (purged) io.out(`database: erased ${purged} pending subscriber${purged === 1 ? '' : 's'} who did not confirm within 30 days`);

      let site;
      try {
        site = await startSite(config, { store, mailer, project, secret, log: (line) => io.err(line), trustProxy: config.trustProxy });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw e;
        io.err(`cannot listen on ${config.host}:${config.port} (${code}): set PORT (and HOST) to a free address, e.g. PORT=3001`);
        return 1;
      }
      const open = config.host === '0.0.0.0' || config.host === '::' ? `http://localhost:${site.port}` : site.address;
      io.out(`${project.series.name}: public site listening on ${site.address}; open ${open} (links in emails use ${config.baseUrl})`);
      io.out(`emails go through ${mailer.describe()}`);

      // The scheduler opens its own connection: the ledger's commits are synced to disk (durable),
      // the site's are not.
      const scheduler = startScheduler(config, { mailer, log: (line) => io.out(line) });

      const signal = await stopSignal();
      io.out(`${signal}: stopping`);
      // A pass in progress finishes first (its claims settle), then the site closes.
      await scheduler.stop();
      await site.close();
      return 0;
    } finally {
      await mailer.close();
      await db.destroy();
    }
  },
};
