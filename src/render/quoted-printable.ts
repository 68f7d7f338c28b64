import { encode, wrap } from 'nodemailer/lib/qp';
import { escapeHtml } from '../content/escape.ts';
import type { Fillable, PlaceholderName } from './personalise.ts';

/** RFC 2045's limit for a quoted-printable line, soft break included. */
const LINE = 76;
const SOFT_BREAK = '=\r\n';

/**
 * A piece of text in quoted-printable, CRLF line ends, ending at the start of a line (a soft
 * break after a last partial line), so encoded pieces and values join into one valid body:
 * decoding the join gives the join of the texts. A soft break may fall anywhere, so the lines
 * are shorter around each filled value than nodemailer would make them, and mean the same.
 */
export function encodeChunk(text: string): string {
  if (text === '') return '';
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
  const pieces = piecesOf(f);
  let out = pieces[0]!;
  for (let i = 0; i < f.names.length; i++) {
    const name = f.names[i]!;
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${name}: this email needs it`);
    out += encodeChunk(escape ? escapeHtml(value) : value) + pieces[i + 1]!;
  }
  // The part ends where its text does: no soft break before the MIME boundary.
  return out.endsWith(SOFT_BREAK) ? out.slice(0, -SOFT_BREAK.length) : out;
}
