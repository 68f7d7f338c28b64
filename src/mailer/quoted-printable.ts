import { encode, wrap } from 'libqp';
import { escapeHtml } from '../content/escape.ts';
import type { PersonalisedEmail, PersonalisedPart } from '../render/index.ts';
import { joinFilled, type Fillable, type PlaceholderName } from '../render/personalise.ts';
import { fillSevenBitHtml } from './seven-bit.ts';

/** RFC 2045's limit for a quoted-printable line, soft break included. */
const LINE = 76;
const SOFT_BREAK = '=\r\n';

/**
 * A piece of text in quoted-printable, CRLF line ends, ending at the start of a line (a soft
 * break after a last partial line), so encoded pieces and values join into one valid body:
 * decoding the join gives the join of the texts. A soft break may fall anywhere, so the lines
 * are shorter around each filled value than one whole-body encoding would make them, and mean the same.
 */
export function encodeChunk(text: string): string {
  if (text === '') return '';
  if (PRINTABLE_ASCII.test(text)) return `${encodeAsciiLine(text)}${SOFT_BREAK}`;
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const last = lines.length - 1;
  let out = '';
  for (let i = 0; i <= last; i++) {
    // `encode` writes whitespace at the end of its input as =20/=09: a line end (hard or soft)
    // never follows bare whitespace, which some relays strip.
    const line = lines[i]!;
    if (i < last) out += `${wrap(encode(line), LINE)}\r\n`;
    else if (line !== '') out += wrap(encode(line), LINE) + SOFT_BREAK;
  }
  return out;
}

/** One line of printable ASCII and spaces: a reader's values are nearly always this (a name, a link). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * `encodeChunk` for PRINTABLE_ASCII, without libqp's Buffer round trips (the values of every
 * message go through here). Only '=' needs encoding; a soft break keeps each line within 76,
 * never inside an =3D, and whitespace before it is allowed: the '=' follows it.
 */
function encodeAsciiLine(text: string): string {
  let out = '';
  let column = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const equals = text.charCodeAt(i) === 0x3d;
    const width = equals ? 3 : 1;
    if (column + width > LINE - 1) {
      out += text.slice(from, i) + SOFT_BREAK;
      from = i;
      column = 0;
    }
    if (equals) {
      out += `${text.slice(from, i)}=3D`;
      from = i + 1;
    }
    column += width;
  }
  return out + text.slice(from);
}

/** The pieces of compiled emails, encoded once per email (the compiled object lives as long as the email is in use). */
const encodedPieces = new WeakMap<Fillable, string[]>();

function piecesOf(f: Fillable): string[] {
  let pieces = encodedPieces.get(f);
  if (!pieces) {
    pieces = f.pieces.map(encodeChunk);
    encodedPieces.set(f, pieces);
  }
  return pieces;
}

/**
 * `fill` straight into quoted-printable: the email's fixed text is encoded once, and each
 * recipient costs the encoding of their few values (a name, some links). Nodemailer would
 * otherwise encode every message's whole HTML and text, about a third of its CPU per message.
 */
export function fillEncoded(f: Fillable, values: Partial<Record<PlaceholderName, string>>, escape: boolean): string {
  const out = joinFilled(
    piecesOf(f),
    f.names,
    values,
    escape ? (value) => encodeChunk(escapeHtml(value)) : encodeChunk,
  );
  // The part ends where its text does: no soft break before the MIME boundary, unless the text
  // ends in a space or tab, which must not end a line bare.
  return out.endsWith(SOFT_BREAK) && !/[ \t]=\r\n$/.test(out) ? out.slice(0, -SOFT_BREAK.length) : out;
}

/** A part's body as it goes on the wire, and the Content-Transfer-Encoding that says how. */
export interface EncodedPart {
  body: string;
  encoding: '7bit' | 'quoted-printable';
}

/**
 * Both parts of a personalised email ready for the wire, for OutgoingMessage's `encoded`: the
 * HTML as written (7bit) when it can be, else in quoted-printable; the text in quoted-printable.
 * The text part is wrapped at 78 already, so 7bit would spare it little; and a message with no
 * quoted-printable part and a hidden preheader is what SpamAssassin's FONT_INVIS_MSGID scores.
 */
export function encodeParts(email: Pick<PersonalisedEmail, 'html' | 'text'>): { html: EncodedPart; text: EncodedPart } {
  const plain = email.html.escape ? fillSevenBitHtml(email.html.fillable, email.html.values) : null;
  return {
    html: plain !== null ? { body: plain, encoding: '7bit' } : quotedPrintable(email.html),
    text: quotedPrintable(email.text),
  };
}

/** Both parts in quoted-printable, as every message went before the HTML could go 7bit (the bench's "before"). */
export function encodePartsQuotedPrintable(email: Pick<PersonalisedEmail, 'html' | 'text'>): {
  html: EncodedPart;
  text: EncodedPart;
} {
  return { html: quotedPrintable(email.html), text: quotedPrintable(email.text) };
}

const quotedPrintable = (part: PersonalisedPart): EncodedPart => ({
  body: fillEncoded(part.fillable, part.values, part.escape),
  encoding: 'quoted-printable',
});
