import {
  bodyParts,
  vouchedReview,
  type Series,
  type Tip,
  type TipCorrection,
  type TipSource,
} from '../content/index.ts';
import { placeholderNames, type Fillable, type PlaceholderName } from './personalise.ts';

export type SystemEmail = 'confirm' | 'welcome' | 'goodbye';
export const systemEmails: readonly SystemEmail[] = ['confirm', 'welcome', 'goodbye'];

/** An email compiled once, ready to be filled in for any number of recipients. Plain data. */
export interface CompiledEmail {
  /** `tip`, a system email, or a correction of a tip. */
  kind: 'tip' | SystemEmail | 'correction';
  /** The tip's slug, for tips. */
  slug?: string;
  subject: string;
  preheader: string;
  /** Whether it belongs to the list (List-Unsubscribe applies): tips and the welcome. */
  listMail: boolean;
  html: Fillable;
  text: Fillable;
}

/** One email filled in for one recipient: plain HTML and text, as a reader's client shows them. */
export interface FinishedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

/** A compiled part and one recipient's values for it, not yet joined. */
export interface PersonalisedPart {
  fillable: Fillable;
  values: Partial<Record<PlaceholderName, string>>;
  /** Whether the values are HTML-escaped when joined (the HTML part). */
  escape: boolean;
}

/**
 * One email for one recipient, left unjoined so a mailer can join it straight into its transfer
 * encoding (mailer/quoted-printable.ts) without building the plain bodies it would not send.
 */
export interface PersonalisedEmail {
  subject: string;
  preheader: string;
  html: PersonalisedPart;
  text: PersonalisedPart;
}

/** The subject and preheader of each system email. */
export const systemSubjects = (series: Series): Record<SystemEmail, { subject: string; preheader: string }> => ({
  confirm: {
    subject: `Please confirm: ${series.name}`,
    preheader: `One click and your first tip about night leg cramps is on its way.`,
  },
  welcome: {
    subject: `Welcome to ${series.name}`,
    preheader: `What to expect: one short, honest tip a week, in your evening before bed.`,
  },
  goodbye: {
    subject: `You are unsubscribed from ${series.name}`,
    preheader: `No more tips will arrive. This is the last email we send you.`,
  },
});

/**
 * Everything of one email that its compiled form depends on, besides the templates, the series
 * and the base URL. It is both the input of compiling and (serialised) part of its cache key,
 * so a field the templates see cannot be left out of the key.
 */
export interface EmailInput {
  kind: CompiledEmail['kind'];
  slug?: string;
  subject: string;
  preheader: string;
  listMail: boolean;
  /** What the tip templates see of a tip; `html` is the body as the content loader made it. */
  tip?: {
    week: number;
    title: string;
    html: string;
    /** The closing line ("Next week: …"), shown after the "Try this tonight" box; not part of `html`. */
    closingHtml: string | null;
    tonight: string | null;
    sources: TipSource[];
    reviewed: string | null;
    reviewedBy: string | null;
    draft: boolean;
  };
  /** What the correction template sees: the tip it corrects and the note (plain text, escaped by the template). */
  correction?: { tipTitle: string; date: string; text: string };
}

export function tipInput(tip: Tip): EmailInput {
  const { main, closing } = bodyParts(tip);
  // Only while the recorded review still vouches for this text: after an edit the line goes.
  const vouched = vouchedReview(tip);
  return {
    kind: 'tip',
    slug: tip.slug,
    subject: tip.subject,
    preheader: tip.preheader,
    listMail: true,
    tip: {
      week: tip.week,
      title: tip.title,
      html: main,
      closingHtml: closing,
      tonight: tip.tonight ?? null,
      sources: tip.sources.map(({ title, url }) => ({ title, url })),
      reviewed: vouched?.reviewed ?? null,
      // Shown only with `reviewed` (the template's "Reviewed by NAME, ROLE").
      reviewedBy: vouched?.reviewedBy ?? null,
      // A draft has no public page yet: its test emails carry no "View in your browser" link.
      draft: tip.draft,
    },
  };
}

/**
 * A correction of `tip` for the readers who got an older text: short, list mail (unsubscribe
 * links and headers), linking to the corrected tip page.
 */
export function correctionInput(tip: Pick<Tip, 'slug' | 'title'>, correction: TipCorrection): EmailInput {
  return {
    kind: 'correction',
    slug: tip.slug,
    subject: `Correction: ${tip.title}`,
    preheader: correction.text.length > 140 ? `${correction.text.slice(0, 139)}…` : correction.text,
    listMail: true,
    correction: { tipTitle: tip.title, date: correction.date, text: correction.text },
  };
}

export function systemInput(kind: SystemEmail, series: Series): EmailInput {
  return { kind, ...systemSubjects(series)[kind], listMail: kind === 'welcome' };
}

/** Whether a value read back from disk is a usable compiled email (a bad one is rebuilt). */
export function isCompiledEmail(v: unknown): v is CompiledEmail {
  if (!isObject(v)) return false;
  const kinds: readonly unknown[] = ['tip', 'correction', ...systemEmails];
  return (
    kinds.includes(v.kind) &&
    (v.slug === undefined || typeof v.slug === 'string') &&
    typeof v.subject === 'string' &&
    typeof v.preheader === 'string' &&
    typeof v.listMail === 'boolean' &&
    isFillable(v.html) &&
    isFillable(v.text)
  );
}

function isFillable(v: unknown): v is Fillable {
  return (
    isObject(v) &&
    Array.isArray(v.pieces) &&
    Array.isArray(v.names) &&
    v.pieces.length === v.names.length + 1 &&
    v.pieces.every((p) => typeof p === 'string') &&
    v.names.every((n) => (placeholderNames as readonly unknown[]).includes(n))
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
