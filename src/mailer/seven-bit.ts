import { escapeHtml } from '../content/escape.ts';
import { joinFilled, placeholder, toFillable, type Fillable, type PlaceholderName } from '../render/personalise.ts';
import { wireLines } from '../render/wire-lines.ts';

/** RFC 5322 2.1.1: a line of a message must not be longer than 998 characters (CRLF aside). */
const MAX_LINE = 998;

/** Printable ASCII, tabs and line breaks: what a 7bit body may hold (RFC 2045 2.7). */
const SEVEN_BIT = /^[\x20-\x7e\t\n]*$/;
/** A reader's value (a name, a link): one line of printable ASCII. */
const ONE_LINE = /^[\x20-\x7e]*$/;

/**
 * A compiled HTML part as it goes on the wire (ASCII, short lines: wireLines), its pieces with
 * CRLF line ends; null when it cannot be 7bit. Once per compiled email, like the QP pieces.
 */
const wirePieces = new WeakMap<Fillable, string[] | null>();

function piecesOf(f: Fillable): string[] | null {
  let pieces = wirePieces.get(f);
  if (pieces === undefined) {
    const joined = f.pieces.reduce((html, piece, i) => html + placeholder(f.names[i - 1]!) + piece);
    const wire = toFillable(wireLines(joined));
    pieces = wire.pieces.every((p) => SEVEN_BIT.test(p)) ? wire.pieces.map((p) => p.replace(/\n/g, '\r\n')) : null;
    wirePieces.set(f, pieces);
  }
  return pieces;
}

/**
 * A filled HTML part as a 7bit body (CRLF lines, sent as written: no quoted-printable `=3D` for
 * each `=` of the markup nor a soft break every 76 characters), or null when it cannot be one:
 * a character outside ASCII (a reader's name in another script, or one in the template's CSS),
 * or a line over 998 characters. The caller then encodes the part in quoted-printable.
 */
export function fillSevenBitHtml(f: Fillable, values: Partial<Record<PlaceholderName, string>>): string | null {
  const pieces = piecesOf(f);
  if (!pieces) return null;
  let fits = true;
  const body = joinFilled(pieces, f.names, values, (value) => {
    const v = escapeHtml(value);
    if (!ONE_LINE.test(v)) fits = false;
    return v;
  });
  return fits && linesFit(body) ? body : null;
}

function linesFit(body: string): boolean {
  let start = 0;
  for (let end = body.indexOf('\r\n'); end >= 0; end = body.indexOf('\r\n', start)) {
    if (end - start > MAX_LINE) return false;
    start = end + 2;
  }
  return body.length - start <= MAX_LINE;
}
