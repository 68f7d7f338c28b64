import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * How an imported file's bytes become text. UTF-8 is checked, never guessed at: a byte that is
 * not UTF-8 (a Latin-1 "é" from a spreadsheet) would otherwise become "�" in a reader's name
 * without a word. Other encodings are decoded with iconv-lite, which knows every common one
 * and needs no ICU data in Node.
 */
export interface CsvDecoding {
  /** The name as given back to the operator. */
  name: string;
  /** A run of whole lines as text, or undefined when some bytes are not valid (then line by line). */
  decode(region: Buffer): string | undefined;
  /** One line (without its line break) as text, or why it cannot be read. */
  decodeLine(line: Buffer): { text: string } | { problem: string };
}

/** What an operator with a Latin-1 or Excel-on-Windows file should do. */
export const ENCODING_HINT =
  'if the file was saved as Latin-1 or Windows-1252 (Excel\'s "CSV" on Windows), import it with --encoding windows-1252 (or save it as "CSV UTF-8")';

/** The default: UTF-8, checked line by line where a run of lines is not valid. */
export const UTF8: CsvDecoding = {
  name: 'utf-8',
  decode: (region) => (isUtf8(region) ? region.toString('utf8') : undefined),
  decodeLine(line) {
    if (isUtf8(line)) return { text: line.toString('utf8') };
    // The first bad byte: where the replacement character first appears (the text before it is valid).
    const text = line.toString('utf8');
    const at = text.indexOf('\uFFFD');
    const before = text.slice(0, Math.max(0, at));
    const byte = line[Buffer.byteLength(before, 'utf8')] ?? 0;
    const context = before.length > 40 ? `…${before.slice(-40)}` : before;
    return {
      problem: `not valid UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} ${context ? `after "${context}"` : 'at the start of the line'}; ${ENCODING_HINT}`,
    };
  },
};

/**
 * "latin1" and "iso-8859-1" mean Windows-1252, as they do in every browser (the WHATWG Encoding
 * standard): files labelled Latin-1 are nearly always Windows-1252, whose "€", "’" and "–" sit
 * where ISO-8859-1 has invisible control characters.
 */
const ALIASES: Record<string, string> = {
  latin1: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  l1: 'windows-1252',
  cp1252: 'windows-1252',
};

/**
 * The decoding for `--encoding NAME` (default UTF-8), or why it cannot be used. Lines are split
 * on the bytes of CR and LF before decoding, so only encodings that write ASCII as ASCII are
 * taken (Latin-1, Windows-125x, ISO-8859-x, Shift_JIS…); UTF-16 is not.
 */
export function csvDecoding(name?: string): { ok: true; decoding: CsvDecoding } | { ok: false; problem: string } {
  const given = (name ?? 'utf-8').trim().toLowerCase();
  if (given === 'utf-8' || given === 'utf8') return { ok: true, decoding: UTF8 };
  const resolved = ALIASES[given] ?? given;
  if (!iconv.encodingExists(resolved))
    return {
      ok: false,
      problem: `unknown encoding "${name}"; use utf-8 (the default), windows-1252 or latin1, or another name iconv-lite knows (iso-8859-15, windows-1250, shift_jis…)`,
    };
  const probe = Buffer.from('email,"name"\r\n', 'ascii');
  if (iconv.decode(probe, resolved, { stripBOM: false }) !== probe.toString('ascii')) {
    return {
      ok: false,
      problem: `encoding "${name}" does not write plain ASCII as ASCII, so its lines cannot be read; convert the file to UTF-8 first (e.g. iconv -f ${given} -t utf-8 in.csv > out.csv)`,
    };
  }
  const decode = (bytes: Buffer) => iconv.decode(bytes, resolved, { stripBOM: false });
  return { ok: true, decoding: { name: resolved, decode, decodeLine: (line) => ({ text: decode(line) }) } };
}
