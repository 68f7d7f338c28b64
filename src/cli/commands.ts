import type { CommandEntry } from './command.ts';

/** Every command, in the order `--help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'start',
    summary: 'the main job: public site and scheduler in one process',
    load: () => import('./start.ts'),
  },
  { name: 'preview', summary: "the editors' live preview studio and dev inbox", load: () => import('./preview.ts') },
  {
    name: 'check',
    summary: 'validate settings, every tip and template, and render every email',
    load: () => import('./check.ts'),
  },
  {
    name: 'doctor',
    summary: 'prove the sending setup before going live: SPF, DKIM, DMARC, relay, site, a signed week 1',
    load: () => import('./doctor.ts'),
  },
  { name: 'render', summary: 'print one finished email (HTML, or its text part)', load: () => import('./render.ts') },
  {
    name: 'new',
    summary: 'write a new tip file with the next free week; prints its path',
    load: () => import('./new-tip.ts'),
  },
  {
    name: 'review',
    summary: "record a review of a tip's or page's current text (never invents a reviewer)",
    load: () => import('./review.ts'),
  },
  {
    name: 'send',
    summary: 'one dispatch pass: every due subscriber gets their next tip',
    load: () => import('./send.ts'),
  },
  {
    name: 'corrections',
    summary: 'list corrections and who would be told (dry run); --send tells them now',
    load: () => import('./corrections.ts'),
  },
  {
    name: 'send-test',
    summary: 'send one tip to one address through the configured transport',
    load: () => import('./send-test.ts'),
  },
  {
    name: 'subscribers',
    summary: "operator's tools: add, list, import, export, remove, unbounce",
    load: () => import('./subscribers/index.ts'),
  },
  {
    name: 'bounces',
    summary: 'apply bounce and complaint reports (DSN, ARF) from files or an MTA pipe',
    load: () => import('./bounces/index.ts'),
  },
  {
    name: 'db',
    summary: 'copy the whole store between SQLite and PostgreSQL, verifying row counts',
    load: () => import('./db/index.ts'),
  },
  {
    name: 'guard',
    summary: 'the complaint and bounce guard: its state, and `release --reason` to lift a pause',
    load: () => import('./guard.ts'),
  },
  { name: 'migrate', summary: 'apply database migrations (start does it too)', load: () => import('./migrate.ts') },
  {
    name: 'stats',
    summary: "the series' numbers: subscribers by status, deliveries by tip and state, bounce and complaint rates",
    load: () => import('./stats.ts'),
  },
  {
    name: 'warmup',
    summary: "a new sending domain's warm-up: today's cap on new tips, used, and the day it ends",
    load: () => import('./warmup.ts'),
  },
];
