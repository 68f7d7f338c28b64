import type { Series, Tip } from '../content/index.ts';
import { compileMjml, type MjmlCompiler } from './mjml.ts';
import { fill, placeholder, recipientValues, toFillable, type Fillable, type Recipient } from './personalise.ts';
import { htmlToPlainText, tidyText } from './text.ts';
import type { TemplateSet } from './templates.ts';

export type SystemEmail = 'confirm' | 'welcome' | 'goodbye';
export const systemEmails: readonly SystemEmail[] = ['confirm', 'welcome', 'goodbye'];

/** An email compiled once, ready to be filled in for any number of recipients. */
export interface CompiledEmail {
  /** `tip` or a system email. */
  kind: 'tip' | SystemEmail;
  /** The tip's slug, for tips. */
  slug?: string;
  subject: string;
  preheader: string;
  /** Whether it belongs to the list (List-Unsubscribe applies): tips and the welcome. */
  listMail: boolean;
  html: Fillable;
  text: Fillable;
}

export interface FinishedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
}

export interface RendererOptions {
  templates: TemplateSet;
  series: Series;
  /** The public site; links to it in emails start with this. */
  baseUrl: string;
  /** Injected so tests can count MJML runs. */
  mjml?: MjmlCompiler;
}

/** The subject and preheader of each system email. */
export const systemSubjects = (series: Series): Record<SystemEmail, { subject: string; preheader: string }> => ({
  confirm: { subject: `Please confirm: ${series.name}`, preheader: `One click and your first tip about night leg cramps is on its way.` },
  welcome: { subject: `Welcome to ${series.name}`, preheader: `What to expect: one short, honest tip a week, in your evening before bed.` },
  goodbye: { subject: `You are unsubscribed from ${series.name}`, preheader: `No more tips will arrive. This is the last email we send you.` },
});

/**
 * Turns tips and system emails into finished emails. Handlebars and MJML run once per email
 * (cached by the tip's content), and each recipient is a cheap fill of the compiled result.
 */
export class Renderer {
  private readonly cache = new Map<string, Promise<CompiledEmail>>();
  private readonly mjml: MjmlCompiler;

  constructor(private readonly options: RendererOptions) {
    this.mjml = options.mjml ?? compileMjml;
  }

  /** The compiled tip; the same object for the same tip content. */
  compileTip(tip: Tip): Promise<CompiledEmail> {
    const key = `tip:${tip.slug}:${tip.week}:${tip.subject}:${tip.preheader}:${tip.tonight ?? ''}:${tip.reviewed ?? ''}:${JSON.stringify(tip.sources)}:${tip.html}`;
    return this.cached(key, () =>
      this.compile('tip', tip.subject, tip.preheader, true, {
        tip: {
          week: tip.week,
          title: tip.title,
          // One line, so MJML's error lines still map onto the template's lines.
          html: tip.html.replace(/\n/g, ' '),
          tonight: tip.tonight ?? null,
          sources: tip.sources,
          reviewed: tip.reviewed ?? null,
        },
        bodyText: htmlToPlainText(tip.html),
      }, tip.slug),
    );
  }

  compileSystem(kind: SystemEmail): Promise<CompiledEmail> {
    const { subject, preheader } = systemSubjects(this.options.series)[kind];
    return this.cached(`system:${kind}`, () => this.compile(kind, subject, preheader, kind === 'welcome', {}));
  }

  /** Fills one recipient into a compiled email. No template or MJML work happens here. */
  personalise(email: CompiledEmail, recipient: Recipient): FinishedEmail {
    const values = recipientValues(recipient);
    return {
      subject: email.subject,
      preheader: email.preheader,
      html: fill(email.html, values, true),
      text: fill(email.text, values, false),
    };
  }

  private cached(key: string, make: () => Promise<CompiledEmail>): Promise<CompiledEmail> {
    let hit = this.cache.get(key);
    if (!hit) {
      hit = make();
      this.cache.set(key, hit);
      hit.catch(() => this.cache.delete(key));
    }
    return hit;
  }

  private async compile(
    kind: CompiledEmail['kind'],
    subject: string,
    preheader: string,
    listMail: boolean,
    extra: Record<string, unknown>,
    slug?: string,
  ): Promise<CompiledEmail> {
    const { templates, series, baseUrl } = this.options;
    const context = {
      series,
      baseUrl,
      email: { kind, subject, preheader, listMail },
      recipient: { greeting: placeholder('greeting') },
      links: {
        home: `${baseUrl}/`,
        unsubscribe: placeholder('unsubscribeUrl'),
        preferences: placeholder('preferencesUrl'),
        confirm: placeholder('confirmUrl'),
      },
      ...extra,
    };
    const html = await this.mjml(templates.mjml(kind, context));
    const text = tidyText(templates.text(kind, context));
    return { kind, ...(slug ? { slug } : {}), subject, preheader, listMail, html: toFillable(html), text: toFillable(text) };
  }
}
