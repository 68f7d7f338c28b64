import { lightenFor } from '../content/colour.ts';
import type { Series } from '../content/index.ts';

/**
 * The emails' dark scheme, for clients that honour `prefers-color-scheme` (Apple Mail, iOS,
 * Outlook.com): every text colour here has at least 4.5:1 contrast on the card and the page.
 */
export const DARK = {
  page: '#0f1419',
  card: '#1a2027',
  text: '#e6e9ee',
  muted: '#b8c2cc',
  callout: '#243040',
  rule: '#3a4654',
  /** A plain quote's rule at its left. */
  quoteRule: '#9aa5b1',
  /** The "Important" warning: a dark red fill, a light red edge and label (9:1 on the fill). */
  warning: '#3a1c19',
  warningBorder: '#6b2c26',
  warningEdge: '#f97066',
  warningLabel: '#ffb3a8',
} as const;
import type { CompiledEmail, EmailInput } from './compiled.ts';
import { compactHtml } from './compact-html.ts';
import { unwrapSingleColumns } from './single-columns.ts';
import type { MjmlCompiler } from './mjml.ts';
import { placeholder, toFillable } from './personalise.ts';
import type { TemplateSet } from './templates.ts';
import { htmlToPlainText, tidyText } from './text.ts';
import { wrapText } from './wrap.ts';

/**
 * What is dropped from MJML's HTML: `true` (sends) its indentation (compact-html.ts) and the
 * scaffolding of single columns (single-columns.ts); `'indentation'` the indentation only (how
 * emails went out before single-columns.ts: the size figures' "before"); `false` nothing (the
 * screenshot test's reference).
 */
export type HtmlCompaction = boolean | 'indentation';

export interface CompileTools {
  templates: TemplateSet;
  mjml: MjmlCompiler;
  series: Series;
  baseUrl: string;
  compact: HtmlCompaction;
}

/**
 * Handlebars then MJML, once per email: per-recipient values stay as placeholders. Loaded only
 * when an email is not in the cache, since its tools (and MJML's) are the heavy part of a pass.
 */
export async function compileEmail(
  input: EmailInput,
  { templates, mjml, series, baseUrl, compact }: CompileTools,
): Promise<CompiledEmail> {
  const { kind, slug, subject, preheader, listMail, tip, correction } = input;
  const context = {
    series,
    baseUrl,
    email: { kind, subject, preheader, listMail },
    recipient: { greeting: placeholder('greeting'), firstTip: placeholder('firstTip') },
    links: {
      home: `${baseUrl}/`,
      // Every email points to the warning signs; a tip also to its public page. System emails
      // have no web view: they are short and personal (a confirm link), nothing to read later.
      help: `${baseUrl}/help`,
      webView: kind === 'tip' && slug && !tip?.draft ? `${baseUrl}/tips/${encodeURIComponent(slug)}` : null,
      // A correction links to the corrected tip's page, where every correction is listed.
      tipPage: slug ? `${baseUrl}/tips/${encodeURIComponent(slug)}` : null,
      unsubscribe: placeholder('unsubscribeUrl'),
      preferences: placeholder('preferencesUrl'),
      confirm: placeholder('confirmUrl'),
      // Both answers share one signed link per reader and tip; the answer only pre-sets the page.
      feedbackYes: `${placeholder('feedbackUrl')}&answer=yes`,
      feedbackNo: `${placeholder('feedbackUrl')}&answer=no`,
    },
    // The dark scheme's colours (see layout.mjml.hbs); the brand made readable on the dark card.
    dark: { ...DARK, link: lightenFor(series.brandColor, DARK.card, 5) },
    ...(correction ? { correction } : {}),
    // One line, so MJML's error lines still map onto the template's lines.
    ...(tip
      ? {
          tip: {
            ...tip,
            html: tip.html.replace(/\n/g, ' '),
            closingHtml: tip.closingHtml?.replace(/\n/g, ' ') ?? null,
          },
          bodyText: htmlToPlainText(tip.html),
          closingText: tip.closingHtml ? htmlToPlainText(tip.closingHtml) : null,
        }
      : {}),
  };
  const compiled = await mjml(templates.mjml(kind, context));
  // Once per email, here: every recipient's fill then copies the smaller pieces.
  const html =
    compact === false
      ? compiled
      : compact === 'indentation'
        ? compactHtml(compiled)
        : unwrapSingleColumns(compactHtml(compiled));
  const text = tidyText(wrapText(templates.text(kind, context)));
  return {
    kind,
    ...(slug ? { slug } : {}),
    subject,
    preheader,
    listMail,
    html: toFillable(html),
    text: toFillable(text),
  };
}
