import type { SystemEmail } from '../render/index.ts';
import { cleanName } from '../render/personalise.ts';

/**
 * The one rule for a reader's first name, wherever it comes from (the form, JSON, preferences,
 * `subscribers add --name`, import): no web address and nothing a mail program would turn into a
 * link. A name is shown in a greeting; a stranger who could put "WIN $5000 at evil.example" there
 * would have us deliver their advert, so a name with a link in it is refused, never stored.
 */
export const NAME_WITH_LINK = 'Please give just a first name, without a web address or a domain such as example.com.';

/** Dots that URL parsers (WHATWG, IDNA) read as the full stop between labels. */
const DOT_LIKE = /[\u3002\uff0e\uff61]/g;
/** `https://`, `mailto:` … any scheme a mail program links. */
const SCHEME = /[a-z][a-z0-9+.-]*:(?:\/\/|[^\s]*@)/;
const WWW = /(?:^|[^\p{L}\p{N}])www\d{0,3}\./u;
/**
 * A domain as a mail program sees one: labels joined by dots, the last of at least two letters
 * (every TLD, including the new ones no list keeps up with). "Dr. Ann" and "J.R.R." are not
 * (a space after the dot, one-letter labels); "Ann.Marie" is, and its owner is asked for a space.
 */
const DOMAIN = /[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.\p{L}[\p{L}\p{N}-]*\p{L}(?![\p{L}\p{N}])/u;
const IP_ADDRESS = /\b\d{1,3}(?:\.\d{1,3}){3}\b/;

/** True when `text` holds a web address, a domain or an IP address a mail program could link. */
export function holdsLink(text: string): boolean {
  // NFKC folds full-width letters and dots ("ｅｖｉｌ．ｅｘａｍｐｌｅ") into the ones mail programs link.
  const folded = text.normalize('NFKC').replace(DOT_LIKE, '.').toLowerCase();
  return SCHEME.test(folded) || WWW.test(folded) || DOMAIN.test(folded) || IP_ADDRESS.test(folded);
}

export type NameCheck = { ok: true; name: string | null } | { ok: false; reason: string };

/**
 * A name as given, made safe to store (`cleanName`: no control characters, bounded), or refused
 * when it holds a link. Absent or empty is no name.
 */
export function checkName(input: unknown): NameCheck {
  if (typeof input !== 'string') return { ok: true, name: null };
  const name = cleanName(input) || null;
  if (name !== null && holdsLink(name)) return { ok: false, reason: NAME_WITH_LINK };
  return { ok: true, name };
}

/**
 * The name an email may greet its reader with: none in a confirmation (until they confirm,
 * nothing the requester typed is mailed to the address: a stranger could type an advert or a
 * link as "their name"), theirs in every other email. Sending, `newsletter render` and the
 * preview studio all ask here, so what an editor sees is what a reader gets.
 */
export function greetingName(kind: 'tip' | SystemEmail | 'correction', name: string | null): string | null {
  return kind === 'confirm' ? null : name;
}
