// ../../work/wt/h-studio/src/cli/start.ts
import { previousSecrets } from "../config.js";
import { ConfigError } from "../errors.js";
import { UsageError } from "./command.js";
import { loggingIo, stdoutOf } from "./log-io.js";
import { refusedByProductionGates } from "./production-gates.js";
import { withApp } from "./with-app.js";
function stopSignal() {
  return new Promise((resolve) => {
    const on = (signal) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}
var ROLES = ["site", "sender", "all"];
function roleOf(value) {
  if (value === void 0) return "all";
  if (ROLES.includes(value)) return value;
  throw new UsageError(`--role "${String(value)}" is not a role; use site, sender or all, e.g. --role sender`);
}
function listenRefused(e, where, fix) {
  const code = e.code;
  if (code !== "EADDRINUSE" && code !== "EACCES" && code !== "EADDRNOTAVAIL") return void 0;
  return `cannot ${where} (${code}): ${fix}`;
}
var start = {
  usage: [
    "newsletter start [--role site|sender|all]",
    "",
    "Applies database migrations, then runs the service until Ctrl-C (SIGINT) or SIGTERM:",
    "  --role all     the public site and the sender in one process (default)",
    "  --role site    the public site on HOST:PORT only: no dispatch passes (default 127.0.0.1:3000,",
    "                this machine only; 0.0.0.0:3000 with NODE_ENV=production)",
    "  --role sender  the dispatcher on NEWSLETTER_CRON and its chores (erase stale sign-ups,",
    "                 send queued confirmations, welcomes and goodbyes) only: no public site; with",
    "                 NEWSLETTER_METRICS_TOKEN set, GET /healthz and GET /metrics on",
    "                 HOST:NEWSLETTER_METRICS_PORT (default 9464)",
    "Any number of each may share one PostgreSQL database. Emails go through NEWSLETTER_SMTP_URL,",
    "or into the outbox folder when it is unset. With NODE_ENV=production it does not start while",
    "`newsletter check --production` fails (printing those problems), and needs NEWSLETTER_SMTP_URL",
    "(the outbox folder only when NEWSLETTER_OUTBOX_DIR is set)."
  ].join("\n"),
  options: { role: { type: "string" } },
  run: ({ values }, cliIo) => {
    const role = roleOf(values.role);
    return withApp(cliIo, (app) => runService(app, cliIo, role), { logTo: stdoutOf(cliIo) });
  }
};
async function runService(app, cliIo, role) {
  const log = await app.logger();
  const io = loggingIo(cliIo, log);
  const started = await startUp(app, io, log);
  if (typeof started === "number") return started;
  if (role !== "site") await purgeStaleSignUps(started);
  const stop = stopSignal();
  const running = [];
  try {
    if (role !== "sender") running.push(await serveSite(started));
    else io.out(`${started.project.series.name}: sender only (--role sender), no public site in this process`);
    io.out(`emails go through ${(await app.mailer()).describe()}`);
    if (role !== "site") running.push(...await runSender(started, role === "sender"));
    else io.out("site only (--role site): no dispatch passes in this process");
  } catch (e) {
    for (const part of running.reverse()) await part.close();
    const line = e instanceof ListenError ? e.message : void 0;
    if (!line) throw e;
    io.err(line);
    return 1;
  }
  io.out(`${await stop}: stopping`);
  for (const part of running.reverse()) await part.close();
  return 0;
}
var ListenError = class extends Error {
};
async function startUp(app, io, log) {
  const project = await app.project();
  if (await refusedByProductionGates(app.config, project.series, io.err, "start")) return 1;
  await app.mailer();
  let applied;
  try {
    applied = await app.migrate();
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    io.err(e instanceof Error ? e.message : String(e));
    return 1;
  }
  void app.secret;
  if (applied.length) io.out(`database: applied ${applied.join(", ")}`);
  return { app, io, log, project, subscriptions: await app.subscriptions(), metrics: await app.metrics() };
}
async function purgeStaleSignUps({ app, io, subscriptions }) {
  const purged = await subscriptions.purgePending(app.now()).catch((e) => {
    io.err(
      `database: stale sign-ups not erased now (${e instanceof Error ? e.message : String(e)}); the scheduler tries again after its next pass`
    );
    return 0;
  });
  if (purged)
    io.out(
      `database: erased ${purged} pending subscriber${purged === 1 ? "" : "s"} who did not confirm within 30 days`
    );
}
async function serveSite(started) {
  const { app, io, project } = started;
  const { config } = app;
  const { startSite, liveContent } = await import("../web/index.js");
  const content = await liveContent({
    initial: project,
    load: () => app.project({ reload: true }),
    folders: [config.contentDir],
    rootDir: config.rootDir,
    log: (line) => io.err(line)
  });
  let site;
  try {
    site = await startSite(config, await siteDeps(started, content));
  } catch (e) {
    await content.close();
    const line = listenRefused(
      e,
      `listen on ${config.host}:${config.port}`,
      "set PORT (and HOST) to a free address, e.g. PORT=3001"
    );
    throw line ? new ListenError(line) : e;
  }
  io.out(
    `${project.series.name}: public site listening on ${site.address}${reachOf(config.host)}; open ${openAt(config.host, site)} (links in emails use ${config.baseUrl})`
  );
  return {
    async close() {
      await site.close();
      await content.close();
    }
  };
}
async function siteDeps({ app, io, project, subscriptions, metrics }, content) {
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
    ...metrics && config.metricsToken ? { metrics: { token: config.metricsToken, metrics } } : {},
    ...config.webhookPostmarkAuth || config.webhookMailgunKey ? {
      webhooks: {
        settings: {
          ...config.webhookPostmarkAuth ? { postmarkAuth: config.webhookPostmarkAuth } : {},
          ...config.webhookMailgunKey ? { mailgunKey: config.webhookMailgunKey } : {}
        },
        store: (await app.bounces()).store,
        secret: app.secret,
        previousSecrets: previousSecrets(config)
      }
    } : {}
  };
}
var everywhere = (host) => host === "0.0.0.0" || host === "::";
function reachOf(host) {
  if (everywhere(host)) return " (every network interface)";
  return /^(127\.|::1$|localhost$)/.test(host) ? " (this machine only; HOST=0.0.0.0 serves the network)" : "";
}
var openAt = (host, site) => everywhere(host) ? `http://localhost:${site.port}` : site.address;
async function runSender(started, alone) {
  const { app, log, subscriptions, metrics } = started;
  const { config } = app;
  const [pass, { startScheduler }] = await Promise.all([app.deliveryPass(), import("../schedule/scheduler.js")]);
  const scheduler = startScheduler({
    cron: config.cron,
    pass,
    subscriptions,
    loadProject: () => app.project({ reload: true }),
    ...config.bounceImapUrl ? { bounceMailbox: { url: config.bounceImapUrl, deps: () => app.bounces() } } : {},
    log: (line, fields) => log.info(fields ?? {}, line),
    ...metrics ? { onPass: (summary) => metrics.recordPass(summary) } : {}
  });
  const running = [{ close: () => scheduler.stop() }];
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
async function serveMetrics({ app, io }, metrics, token) {
  const { config } = app;
  const { startMetricsServer } = await import("../web/metrics-server.js");
  let server;
  try {
    const ping = async () => (await app.subscribers()).ping();
    server = await startMetricsServer(metrics, token, config.host, config.metricsPort, ping);
  } catch (e) {
    const line = listenRefused(
      e,
      `serve metrics on ${config.host}:${config.metricsPort}`,
      "set NEWSLETTER_METRICS_PORT to a free port, e.g. NEWSLETTER_METRICS_PORT=9465"
    );
    throw line ? new ListenError(line) : e;
  }
  io.out(`metrics: GET ${server.address}/metrics (bearer NEWSLETTER_METRICS_TOKEN)`);
  return server;
}
var start_default = start;
export {
  start_default as default
};
//# sourceMappingURL=start.js.map
