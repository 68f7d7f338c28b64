import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, type Kysely } from 'kysely';
import { liveTables } from './catalog.ts';

/**
 * What the privacy page says about each table that holds anything about a reader, column by
 * column. The columns themselves are read from the live database (see `describeReaderData`),
 * so a column a migration adds shows up on the page at once, and the test in
 * tests/store/reader-data.test.ts fails until someone writes its line here.
 */
export interface TableDescription {
  /** Why the table exists, in a reader's words. */
  purpose: string;
  /** How long rows stay. */
  kept: string;
  /** Who can see it. */
  seenBy: string;
  /**
   * Each column as `[plain name, what it holds and why]`: the page shows the plain name, with the
   * column's own name only as a detail. (A bare description string is still read, but the
   * test counts the column undescribed until it has a plain name.)
   */
  columns: Record<string, ColumnText | string>;
}

/** A column in a reader's words: a short plain name ("Link code"), then what it holds and why. */
export type ColumnText = readonly [name: string, description: string];

const OPERATOR =
  'The people who run this newsletter, through the server. Nobody else: no ad network, no analytics company.';

export const readerDataTables: Record<string, TableDescription> = {
  subscribers: {
    purpose: 'Your subscription: where and when to send your tips, and the proof that you asked for them.',
    kept: 'While you are subscribed, and after you unsubscribe (so we never mail you again by mistake) until you delete your data. Sign-ups never confirmed are erased after 30 days.',
    seenBy: OPERATOR,
    columns: {
      id: ['Row number', 'A number for your row inside the database. It is never shown or sent.'],
      public_id: [
        'Link code',
        'A random code that stands for you in the links in our emails, so the links never contain your address.',
      ],
      email: ['Email address', 'Your email address, as you typed it.'],
      email_normalized: [
        'Email address in lower case',
        'Your address in lower case, so the same address cannot sign up twice.',
      ],
      name: ['First name', 'The first name you gave, if you gave one, for the greeting.'],
      status: [
        'Subscription status',
        'Whether you are waiting to confirm, subscribed, paused or unsubscribed, or whether the address stopped accepting mail.',
      ],
      timezone: ['Time zone', 'Your time zone, so the tip comes in your evening.'],
      send_time: ['Send time', 'The local time you chose for your tips, if you changed it.'],
      consent_at: ['When you agreed', 'When you confirmed your subscription.'],
      consent_ip: [
        'Internet address of your confirmation',
        'The internet address your confirmation came from: proof that you, not someone else, asked for the emails.',
      ],
      consent_user_agent: [
        'Browser of your confirmation',
        'The browser name your confirmation came from, for the same proof.',
      ],
      consent_source: [
        'How you signed up',
        'How you signed up: the web form, an import from an earlier list, or the command line.',
      ],
      created_at: ['Sign-up time', 'When you signed up.'],
      confirmed_at: ['Confirmation time', 'When you pressed the confirmation button.'],
      status_changed_at: ['Last status change', 'When your status last changed.'],
      next_send_at: ['Next tip due', 'When your next tip is due.'],
      last_sent_at: ['Last tip sent', 'When we last sent you a tip.'],
      cycle: ['Restarts', 'How many times you restarted the series from week one.'],
      confirm_sent_at: [
        'Last confirmation link asked for',
        'When you (or someone giving your address) last asked for a confirmation link, so we send at most one every 10 minutes.',
      ],
    },
  },
  deliveries: {
    purpose: 'Which tips we sent you, so nobody gets a tip twice and a failed send is tried again.',
    kept: 'Until you delete your data; deleted with your subscription.',
    seenBy: OPERATOR,
    columns: {
      id: ['Row number', 'A number for the row inside the database.'],
      subscriber_id: ['Subscriber', 'Which subscriber (the row number above) the tip was for.'],
      tip_slug: ['Tip', 'Which tip.'],
      cycle: ['Run through the series', 'Which run through the series.'],
      week: ['Week', "The tip's week number when it was sent."],
      state: ['Sending state', 'Sending, sent, waiting to retry, failed or bounced.'],
      attempts: ['Tries', 'How many times we tried to send it.'],
      message_id: ['Email identifier', "The email's technical identifier, to match replies and bounces."],
      created_at: ['Planned', 'When the send was planned.'],
      claimed_at: ['Taken for sending', 'When a sending process took it.'],
      sent_at: ['Accepted', 'When your mail server accepted it.'],
      next_attempt_at: ['Next try', 'When we try again after a failure.'],
      last_response: [
        'Last answer from your mail server',
        'Your mail server\'s last answer (for example "250 OK"), to find delivery problems.',
      ],
      fingerprint: [
        'Text version',
        'A short fingerprint of the text of the tip we sent you, so that if the tip is later corrected we know you got the older text and can tell you.',
      ],
    },
  },
  correction_deliveries: {
    purpose:
      'The corrections we sent you: when a tip you got was later found wrong, we send one short email saying what changed, once.',
    kept: 'Until you delete your data; deleted with your subscription.',
    seenBy: OPERATOR,
    columns: {
      id: ['Row number', 'A number for the row inside the database.'],
      subscriber_id: ['Subscriber', 'Which subscriber the correction was for.'],
      tip_slug: ['Tip', 'Which tip was corrected.'],
      correction: ['Correction', 'Which correction of the tip (its date).'],
      state: ['Sending state', 'Sending, sent, waiting to retry or failed.'],
      attempts: ['Tries', 'How many times we tried to send it.'],
      message_id: ['Email identifier', "The email's technical identifier."],
      created_at: ['Planned', 'When the send was planned.'],
      claimed_at: ['Taken for sending', 'When a sending process took it.'],
      sent_at: ['Accepted', 'When your mail server accepted it.'],
      next_attempt_at: ['Next try', 'When we try again after a failure.'],
      last_response: [
        'Last answer from your mail server',
        "Your mail server's last answer, to find delivery problems.",
      ],
    },
  },
  delivery_attempts: {
    purpose: 'Each try at sending a tip, to find and fix delivery problems.',
    kept: 'Until you delete your data; deleted with your subscription.',
    seenBy: OPERATOR,
    columns: {
      id: ['Row number', 'A number for the row inside the database.'],
      delivery_id: ['Sent tip', 'Which sent tip (above) the try belongs to.'],
      at: ['Time of the try', 'When we tried.'],
      outcome: ['Outcome', 'Whether it was accepted, failed for now, or refused for good.'],
      response: ['Answer from your mail server', "Your mail server's answer."],
    },
  },
  system_emails: {
    purpose:
      'The confirmation, welcome and goodbye emails we send you, kept in a queue until they are sent, so none is lost while our mail server is down and the welcome goes only once.',
    kept: 'Until you delete your data; deleted with your subscription.',
    seenBy: OPERATOR,
    columns: {
      id: ['Row number', 'A number for the row inside the database.'],
      subscriber_id: ['Subscriber', 'Which subscriber it was for.'],
      kind: ['Kind of email', 'Confirmation, welcome or goodbye.'],
      message_id: ['Email identifier', "The email's technical identifier."],
      created_at: ['Planned', 'When it was planned.'],
      sent_at: ['Accepted', 'When your mail server accepted it.'],
      claimed_at: ['Taken to send', 'When a sending process took it to send.'],
      state: ['Sending state', 'Waiting, sent, refused by your mail server, expired unsent, or no longer needed.'],
      attempts: ['Attempts', 'How many times your mail server was tried.'],
      next_attempt_at: ['Next try', 'While waiting: when we try to send it (again).'],
      expires_at: [
        'Too late after',
        'While waiting: when it is too late to send (a confirmation: when its link expires).',
      ],
      last_error: [
        'Last mail server answer',
        "The mail server's last answer when sending failed, to find delivery problems.",
      ],
    },
  },
  suppressions: {
    purpose:
      'Addresses we must never email again: after you unsubscribe, delete your data or your address refuses our mail.',
    kept: 'For good, since it is what keeps us from mailing you. It holds no address, only a one-way fingerprint of it.',
    seenBy: OPERATOR,
    columns: {
      email_hash: [
        'Address fingerprint',
        'A one-way fingerprint (SHA-256) of your address: enough to recognise the address if it signs up again, not enough to read it.',
      ],
      reason: ['Reason', 'Why: unsubscribed, deleted, bounced, marked as spam, or removed by us.'],
      created_at: ['Added', 'When.'],
    },
  },
  feedback: {
    purpose:
      'Your answers to "Did this help?" and the comment you chose to add, so the editors know which tips to keep, rewrite or drop. Answers from the public tip pages are kept with no reader at all.',
    kept: 'Until you delete your data; deleted with your subscription. Anonymous answers from the web pages are not linked to anyone and stay.',
    seenBy: `${OPERATOR} The editors see counts per tip and the comments, never who wrote them.`,
    columns: {
      id: ['Row number', 'A number for the row inside the database.'],
      subscriber_id: [
        'Subscriber',
        'Which subscriber answered (the row number above); empty for an answer from the public web page.',
      ],
      tip_slug: ['Tip', 'Which tip the answer is about.'],
      answer: ['Your answer', 'Yes or not really.'],
      comment: ['Your comment', 'What would help more, if you wrote something.'],
      created_at: ['First answered', 'When you first answered.'],
      updated_at: ['Last changed', 'When you last changed your answer.'],
    },
  },
  bounce_events: {
    purpose:
      'Reports that our email to you could not be delivered ("bounces") or that it was marked as spam, so we stop mailing an address that does not work or does not want us.',
    kept: 'Until you delete your data; deleted with your subscription.',
    seenBy: OPERATOR,
    columns: {
      id: ['Row number', 'A number for the row inside the database.'],
      subscriber_id: ['Subscriber', 'Which subscriber the report was about.'],
      delivery_id: ['Sent tip', 'Which sent tip it was about, when the report says.'],
      kind: [
        'Kind of report',
        'Whether the address refused mail for good, for now, whether the email was marked as spam, or whether we lifted a bounce after you told us your mailbox works again.',
      ],
      source: [
        'Source of the report',
        "Where the report came from: your mail provider's returned email, a spam report, or our sending service.",
      ],
      status: ['Report code', 'The report\'s code, such as 5.1.1 ("no such address") or "abuse".'],
      detail: [
        'Explanation',
        "The mail server's explanation with any email address blanked out, or why we lifted a bounce.",
      ],
      event_key: ['Report fingerprint', 'A fingerprint of the report, so the same report is never counted twice.'],
      received_at: ['Received', 'When the report arrived.'],
    },
  },
  rate_limits: {
    purpose:
      "Counts of recent sign-ups and link presses, to stop floods of fake sign-ups (in this table only when the newsletter runs on PostgreSQL; otherwise the counts stay in the server's memory).",
    kept: 'One hour at most: each count is deleted when its time window ends.',
    seenBy: OPERATOR,
    columns: {
      key: [
        'What is counted',
        'What is counted: the internet address a request came from, or the email address typed into the form.',
      ],
      window_start: ['Start of the window', 'When the counting window began.'],
      count: ['Count', 'How many requests in that window.'],
    },
  },
};

/** Tables that hold nothing about any reader, and why; anything else must be described above. */
export const tablesWithoutReaderData: Record<string, string> = {
  senders: 'which sending processes are running right now (host name, process id, heartbeat)',
  webhook_tokens:
    'one-time codes our sending service signs its reports with, kept ten minutes so a copied report cannot be replayed',
  relay_state:
    "when our mail relay last failed and why sending stopped, with every email address taken out of the relay's words",
  guard_events:
    'when sending was paused because too many readers complained or bounced, and when and why it was resumed; no reader is named',
  mx_cache:
    "which mail provider each email domain belongs to (looked up from the domain's mail servers), with no address or name",
  site_state: 'whether a mail provider asked us to slow down, until when, and how many emails each provider was sent',
  site_buckets: "a timer per mail provider that keeps us under each provider's sending limit",
  site_leases:
    "which of our sending processes is sending to each mail provider right now, so all of them together stay under the provider's connection limit",
  warmup_days: "how many tips all our senders sent on each day of a new sending domain's warm-up",
  [DEFAULT_MIGRATION_TABLE]: 'which database migrations have run',
  [DEFAULT_MIGRATION_LOCK_TABLE]: 'a lock so only one process migrates at a time',
};

export interface ReaderDataTable extends Omit<TableDescription, 'columns'> {
  name: string;
  /**
   * Every column the live table has, in its order: `name` is the database's, `label` the plain
   * name readers see; `label` and `description` are undefined when nobody wrote them.
   */
  columns: ReaderDataColumn[];
}

export interface ReaderDataColumn {
  name: string;
  label: string | undefined;
  description: string | undefined;
}

function column(name: string, text: ColumnText | string | undefined): ReaderDataColumn {
  if (text === undefined) return { name, label: undefined, description: undefined };
  if (typeof text === 'string') return { name, label: undefined, description: text };
  return { name, label: text[0], description: text[1] };
}

export interface ReaderDataReport {
  tables: ReaderDataTable[];
  /** Live tables that are neither described nor listed as holding no reader data. */
  unclassified: string[];
}

/**
 * The reader-data tables as the database has them now, each column paired with its
 * description. The privacy page is made from this, so it lists exactly the stored fields.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- describes whatever tables a database has
export async function describeReaderData(db: Kysely<any>): Promise<ReaderDataReport> {
  const live = await liveTables(db);
  const tables: ReaderDataTable[] = [];
  const unclassified: string[] = [];
  for (const t of live) {
    const d = readerDataTables[t.name];
    if (!d) {
      if (!(t.name in tablesWithoutReaderData)) unclassified.push(t.name);
      continue;
    }
    tables.push({
      name: t.name,
      purpose: d.purpose,
      kept: d.kept,
      seenBy: d.seenBy,
      columns: t.columns.map((c) => column(c, d.columns[c])),
    });
  }
  // The subscription first: it is what a reader recognises.
  const order = Object.keys(readerDataTables);
  tables.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return { tables, unclassified };
}

/** The same report from the descriptions alone, for a site given no database to read (tests of other parts). */
export function describedReaderData(): ReaderDataReport {
  return {
    tables: Object.entries(readerDataTables).map(([name, d]) => ({
      name,
      purpose: d.purpose,
      kept: d.kept,
      seenBy: d.seenBy,
      columns: Object.entries(d.columns).map(([c, text]) => column(c, text)),
    })),
    unclassified: [],
  };
}

/**
 * What the privacy page cannot explain yet: live tables nobody classified, and columns of
 * reader-data tables with no description or no plain name, as `table` or `table.column`.
 * Empty is the goal.
 */
export function undescribed(report: ReaderDataReport): string[] {
  return [
    ...report.unclassified,
    ...report.tables.flatMap((t) =>
      t.columns.filter((c) => !c.description || !c.label).map((c) => `${t.name}.${c.name}`),
    ),
  ];
}
