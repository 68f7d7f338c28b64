import type { Series, Tip, TipCorrection } from '../content/index.ts';
import { emailEntry } from './cache-keys.ts';
import type { CompiledCache } from './compiled-cache.ts';
import {
  correctionInput,
  isCompiledEmail,
  systemInput,
  tipInput,
  type CompiledEmail,
  type EmailInput,
  type FinishedEmail,
  type PersonalisedEmail,
  type PersonalisedPart,
  type SystemEmail,
} from './compiled.ts';
import type { HtmlCompaction } from './compile-email.ts';
import type { MjmlCompiler } from './mjml.ts';
import { compileMjml } from './on-demand.ts';
import { fill, recipientValues, type Recipient } from './personalise.ts';
import type { TemplateSet } from './templates.ts';
import { TEXT_WIDTH, wrapText } from './wrap.ts';

export interface RendererOptions {
  /** The templates, or how to load them: then they are loaded on the first email to compile. */
  templates: TemplateSet | (() => Promise<TemplateSet>);
  series: Series;
  /** The public site; links to it in emails start with this. */
  baseUrl: string;
  /** Injected so tests can count MJML runs. */
  mjml?: MjmlCompiler;
  /**
   * Compiled emails kept between processes. `scope` must hash everything besides the email's
   * own input that its output depends on (see `emailScope`): the templates, series and site.
   */
  disk?: { cache: CompiledCache; scope: string };
  /**
   * What is dropped from MJML's HTML (default: all that draws nothing; see HtmlCompaction).
   * `false` gives MJML's own output: the "before" of the test that holds the compacted emails
   * pixel-identical to it.
   */
  compact?: HtmlCompaction;
}

/**
 * Turns tips and system emails into finished emails. Handlebars and MJML run once per email
 * (kept by the email's input, in memory and optionally on disk), and each recipient is a cheap
 * fill of the compiled result. Neither tool is loaded until an email is missing from both.
 */
export class Renderer {
  private readonly memory = new Map<string, Promise<CompiledEmail>>();
  private templates?: Promise<TemplateSet>;

  constructor(private readonly options: RendererOptions) {}

  /** The compiled tip; the same object for the same tip content. */
  compileTip(tip: Tip): Promise<CompiledEmail> {
    return this.compiled(tipInput(tip));
  }

  /** The correction email of one correction of `tip`; the same object for the same correction. */
  compileCorrection(tip: Pick<Tip, 'slug' | 'title'>, correction: TipCorrection): Promise<CompiledEmail> {
    return this.compiled(correctionInput(tip, correction));
  }

  compileSystem(kind: SystemEmail): Promise<CompiledEmail> {
    return this.compiled(systemInput(kind, this.options.series));
  }

  /** Fills one recipient into a compiled email. No template or MJML work happens here. */
  personalise(email: CompiledEmail, recipient: Recipient): FinishedEmail {
    const { subject, preheader, html, text } = this.personaliseParts(email, recipient);
    return { subject, preheader, html: joinPart(html), text: joinPart(text) };
  }

  /** The recipient's values for each part, not yet joined: for a mailer that joins them in its own encoding. */
  personaliseParts(email: CompiledEmail, recipient: Recipient): PersonalisedEmail {
    const values = recipientValues(recipient);
    // The one per-reader sentence sits on its own line: wrapped here like the rest of the text part.
    const textValues =
      values.firstTip && values.firstTip.length > TEXT_WIDTH
        ? { ...values, firstTip: wrapText(values.firstTip) }
        : values;
    return {
      subject: email.subject,
      preheader: email.preheader,
      html: { fillable: email.html, values, escape: true },
      text: { fillable: email.text, values: textValues, escape: false },
    };
  }

  /**
   * Loads the compiling tools now rather than at the first email. For a caller that knows it
   * will compile: the first email then costs what the others do, as when they loaded on import.
   */
  async prepare(): Promise<void> {
    await Promise.all([
      import('./compile-email.ts'),
      this.loadTemplates(),
      this.options.mjml ? undefined : import('./mjml.ts'),
    ]);
  }

  /** Resolves once the emails compiled so far are written to the disk cache (done in the background). */
  async settled(): Promise<void> {
    await this.options.disk?.cache.settled();
  }

  private compiled(input: EmailInput): Promise<CompiledEmail> {
    const key = JSON.stringify(input);
    let hit = this.memory.get(key);
    if (!hit) {
      hit = this.fromDiskOrCompile(input);
      this.memory.set(key, hit);
      hit.catch(() => this.memory.delete(key));
    }
    return hit;
  }

  private async fromDiskOrCompile(input: EmailInput): Promise<CompiledEmail> {
    const disk = this.options.disk;
    if (!disk) return this.compile(input);
    const name = emailEntry(
      this.options.compact === true || this.options.compact === undefined
        ? disk.scope
        : `${disk.scope}:${this.options.compact === false ? 'loose' : 'indented'}`,
      input,
    );
    const stored = await disk.cache.read(name, isCompiledEmail);
    if (stored) return stored;
    // Only a success is written: a template or MJML error is thrown again on every attempt.
    const fresh = await this.compile(input);
    void disk.cache.write(name, fresh);
    return fresh;
  }

  private async compile(input: EmailInput): Promise<CompiledEmail> {
    const { series, baseUrl, mjml = compileMjml, compact = true } = this.options;
    const [{ compileEmail }, templates] = await Promise.all([import('./compile-email.ts'), this.loadTemplates()]);
    return compileEmail(input, { templates, mjml, series, baseUrl, compact });
  }

  private loadTemplates(): Promise<TemplateSet> {
    const given = this.options.templates;
    if (typeof given !== 'function') return Promise.resolve(given);
    this.templates ??= given().catch((e: unknown) => {
      this.templates = undefined;
      throw e;
    });
    return this.templates;
  }
}

const joinPart = (part: PersonalisedPart): string => fill(part.fillable, part.values, part.escape);
