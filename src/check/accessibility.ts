import { parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { findAll, getAttributeValue } from 'domutils';
import type { Problem, Severity } from '../problems.ts';
import type { A11yFinding } from './a11y-finding.ts';
import { headingFindings, imageFindings, languageFindings, linkFindings } from './a11y-structure.ts';
import { measure, ownText, textFindings, type MeasuredText } from './a11y-text.ts';
import { EmailStyles, schemes } from './computed-style.ts';

export type { A11yFinding } from './a11y-finding.ts';
export type { MeasuredText } from './a11y-text.ts';

/**
 * The accessibility problems a reader meets in one rendered email, the ones the Email Markup
 * Consortium counts: headings, link text, alt text, language and direction, text size, line
 * height and contrast in the light and dark schemes. Static: the HTML as a send makes it.
 */
export function accessibilityFindings(html: string): A11yFinding[] {
  const doc = parseDocument(html);
  const styles = new EmailStyles(doc);
  const all = (test: (e: Element) => boolean) => findAll(test, doc.children);
  const body = all((e) => e.name === 'body')[0];
  const inBody = body ? findAll(() => true, body.children) : [];
  const shown = (e: Element) => !styles.text(e, 'light').hidden;
  const wrapper =
    inBody.find((e) => getAttributeValue(e, 'role') === 'article') ??
    (body?.children.find((n) => n.type === 'tag' && shown(n as Element)) as Element | undefined);
  const findings = [
    ...languageFindings(all((e) => e.name === 'html')[0], wrapper),
    ...headingFindings(inBody.filter((e) => /^h[1-6]$/.test(e.name) && shown(e))),
    ...linkFindings(inBody.filter((e) => e.name === 'a' && getAttributeValue(e, 'href') !== undefined && shown(e))),
    ...imageFindings(inBody.filter((e) => e.name === 'img')),
    ...textFindings(inBody, styles),
  ];
  // One template line can make the same finding for several elements: say it once per email.
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(f.message) && seen.add(f.message));
}

/**
 * Every visible text of the email on its background, in both schemes: what the contrast check
 * judges, for a contrast table (the studio) and for comparing with a browser's measurement.
 */
export function measuredContrast(html: string): MeasuredText[] {
  const doc = parseDocument(html);
  const styles = new EmailStyles(doc);
  const body = findAll((e) => e.name === 'body', doc.children)[0];
  const texts = (body ? findAll(() => true, body.children) : []).filter(
    (e) => ownText(e) && !styles.text(e, 'light').hidden,
  );
  return schemes.flatMap((scheme) => texts.map((e) => measure(e, scheme, styles)));
}

export interface AccessibilityOptions {
  severity: Severity;
  /** The tip or template the email comes from. */
  file?: string;
  /** Prefix for messages, e.g. `week 3`. */
  label?: string;
}

/**
 * The findings as problems of `check`: errors for an email that is sent (a published tip, a
 * system email), warnings for a draft, as the writing rules treat drafts.
 */
export function accessibilityProblems(html: string, options: AccessibilityOptions): Problem[] {
  return accessibilityFindings(html).map((f) => ({
    severity: options.severity,
    check: f.check,
    message: options.label ? `${options.label}: ${f.message}` : f.message,
    ...(options.file ? { file: options.file } : {}),
  }));
}
