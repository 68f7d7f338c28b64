import type { Kysely } from 'kysely';
import type { ParsedMail } from 'mailparser';
import { openApp, type App } from '../../src/app.ts';
import { createMailer } from '../../src/mailer/create-mailer.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import type { Project } from '../../src/render/project.ts';
import type { Database } from '../../src/store/schema.ts';
import type { Subscriber, SubscriberStore } from '../../src/subscription/subscriber-store.ts';
import type { Subscriptions } from '../../src/subscription/subscriptions.ts';
import { describeReaderData } from '../../src/store/reader-data.ts';
import { liveContent, startSite, type ContentSource, type RunningSite, type SiteLimits } from '../../src/web/index.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { useResource } from '../support/use-resource.ts';

export const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

/** Limits high enough that only the tests about limits meet them. */
export const relaxedLimits: Partial<SiteLimits> = {
  subscribePerIp: { max: 10_000, windowMs: 60_000 },
  subscribePerAddress: { max: 10_000, windowMs: 60_000 },
  linksPerIp: { max: 10_000, windowMs: 60_000 },
  feedbackPerIp: { max: 10_000, windowMs: 60_000 },
};

export interface Harness {
  url: string;
  sink: SmtpSink;
  mailer: Mailer;
  store: SubscriberStore;
  db: Kysely<Database>;
  project: Project;
  /** The rules the site runs on, as `newsletter start` builds them. */
  subscriptions: Subscriptions;
  app: App;
  temp: TempProject;
  site: RunningSite;
  /** The public pages' content, following the temp project's content folder as `newsletter start`'s does. */
  content: ContentSource;
  /** The site's clock: tests move it with `clock.set` / `clock.advance`. */
  clock: { now(): Date; set(d: Date): void; advance(ms: number): void };
  logs: string[];
  /** The structured log's JSON lines (subscription events), as `newsletter start` writes them. */
  events: string[];
  /** Resolves once `count` messages matching `to` have arrived (or fails after a few seconds). */
  mailTo(to: string, count?: number): Promise<ReceivedMail[]>;
  subscriber(email: string): Promise<Subscriber | undefined>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  limits?: Partial<SiteLimits>;
  env?: Record<string, string>;
  start?: Date;
  mailer?: (sink: SmtpSink) => Mailer;
  /** Behind a reverse proxy (NEWSLETTER_TRUST_PROXY). */
  trustProxy?: boolean;
}

/**
 * The real thing on loopback: SQLite in a temp folder, the SMTP sink, the site on an ephemeral
 * port, its parts from the app as `newsletter start` takes them.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const env = {
    NEWSLETTER_SECRET: SECRET,
    NEWSLETTER_BASE_URL: 'http://localhost:3000',
    NEWSLETTER_TIMEZONE: 'Europe/London',
    ...options.env,
  };
  const temp = await tempProject(env);
  const sink = await startSmtpSink();
  // The production factory (the SMTP pool in its worker thread), as `newsletter start` sends.
  const mailer = options.mailer
    ? options.mailer(sink)
    : createMailer({ ...temp.config, smtpUrl: sink.url, smtpPool: 1 });
  let current = options.start ?? new Date('2026-03-02T10:00:00Z');
  const clock = {
    now: () => current,
    set: (d: Date) => {
      current = d;
    },
    advance: (ms: number) => {
      current = new Date(current.getTime() + ms);
    },
  };
  const events: string[] = [];
  const app = openApp(
    { cwd: temp.dir, env, now: clock.now },
    { mailer, logTo: { write: (line) => events.push(line) } },
  );
  const metrics = await app.metrics();
  const [db, store, project, subscriptions] = await Promise.all([
    app.db(),
    app.subscribers(),
    app.project(),
    app.subscriptions(),
  ]);
  const logs: string[] = [];
  const content = await liveContent({
    load: () => app.released({ reload: true }),
    folders: [app.config.contentDir],
    rootDir: app.config.rootDir,
    log: (l) => logs.push(l),
  });
  const site = await startSite(
    { ...app.config, host: '127.0.0.1', port: 0 },
    {
      content,
      readerData: () => describeReaderData(db),
      subscriptions,
      feedback: await app.feedback(),
      store,
      series: project.series,
      secret: app.secret,
      now: clock.now,
      limits: { ...relaxedLimits, ...options.limits },
      log: (l) => logs.push(l),
      trustProxy: options.trustProxy ?? false,
      limitCounter: await app.limitCounter(),
      ...(metrics && app.config.metricsToken ? { metrics: { token: app.config.metricsToken, metrics } } : {}),
    },
  );
  const normal = (s: string) => s.toLowerCase();
  return {
    url: site.address,
    sink,
    mailer,
    store,
    db,
    project,
    subscriptions,
    app,
    temp,
    site,
    content,
    clock,
    logs,
    events,
    async mailTo(to, count = 1) {
      const match = () => sink.received.filter((m) => m.envelopeTo.map(normal).includes(normal(to)));
      for (let i = 0; i < 200 && match().length < count; i++) {
        await site.idle();
        if (match().length < count) await new Promise((r) => setTimeout(r, 25));
      }
      const found = match();
      if (found.length < count)
        throw new Error(`expected ${count} message(s) to ${to}, got ${found.length}; logs: ${logs.join(' | ')}`);
      return found;
    },
    subscriber: (email) => store.byEmail(email.toLowerCase()),
    async close() {
      await site.close();
      await content.close();
      await app.close();
      await mailer.close();
      await sink.close();
      await temp.cleanup();
    },
  };
}

/**
 * The harness for the enclosing describe's tests: started before them, closed after them. Every
 * web test takes its site this way (see useResource), so the setup lives here only.
 */
export function useHarness(options: HarnessOptions | (() => HarnessOptions) = {}): Harness {
  // A function when the options depend on what another hook starts first (a relay, a test store).
  return useResource(
    () => startHarness(typeof options === 'function' ? options() : options),
    (h) => h.close(),
  );
}

/** A form POST as a browser sends it. */
export function form(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The first link to `route` in an email's text part. */
export function linkIn(mail: ParsedMail, route: 'confirm' | 'unsubscribe' | 'preferences'): string {
  const m = new RegExp(`https?://[^\\s)>"]+/${route}\\?token=[A-Za-z0-9._~%-]+`).exec(mail.text ?? '');
  if (!m) throw new Error(`no ${route} link in: ${mail.text}`);
  return m[0];
}

/** The same link on the test server (emails carry NEWSLETTER_BASE_URL). */
export function onSite(h: Harness, link: string): string {
  const u = new URL(link);
  return `${h.url}${u.pathname}${u.search}`;
}

/** Subscribes and confirms through the site; returns the confirmation and welcome emails. */
export async function subscribeAndConfirm(h: Harness, email: string, extra: Record<string, string> = {}) {
  const res = await form(`${h.url}/subscribe`, { email, ...extra });
  if (res.status !== 200) throw new Error(`subscribe answered ${res.status}`);
  const [confirmation] = await h.mailTo(email);
  const confirmed = await fetch(onSite(h, linkIn(confirmation!.parsed, 'confirm')), { method: 'POST' });
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`);
  const mails = await h.mailTo(email, 2);
  return { confirmation: confirmation!, welcome: mails[1]! };
}

/** One header of a raw message, unfolded, as it was sent (mailparser restructures some). */
export function rawHeader(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
