// ../../work/wt/h-studio/src/subscription/csv-encoding.ts
import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
var ENCODING_HINT = `if the file was saved as Latin-1 or Windows-1252 (Excel's "CSV" on Windows), import it with --encoding windows-1252 (or save it as "CSV UTF-8")`;
var UTF8 = {
  name: "utf-8",
  decode: (region) => isUtf8(region) ? region.toString("utf8") : void 0,
  decodeLine(line) {
    if (isUtf8(line)) return { text: line.toString("utf8") };
    const text = line.toString("utf8");
    const at = text.indexOf("\uFFFD");
    const before = text.slice(0, Math.max(0, at));
    const byte = line[Buffer.byteLength(before, "utf8")] ?? 0;
    const context = before.length > 40 ? `\u2026${before.slice(-40)}` : before;
    return {
      problem: `not valid UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} ${context ? `after "${context}"` : "at the start of the line"}; ${ENCODING_HINT}`
    };
  }
};
var ALIASES = {
  latin1: "windows-1252",
  "iso-8859-1": "windows-1252",
  "iso8859-1": "windows-1252",
  l1: "windows-1252",
  cp1252: "windows-1252"
};
function csvDecoding(name) {
  const given = (name ?? "utf-8").trim().toLowerCase();
  if (given === "utf-8" || given === "utf8") return { ok: true, decoding: UTF8 };
  const resolved = ALIASES[given] ?? given;
  if (!iconv.encodingExists(resolved))
    return {
      ok: false,
      problem: `unknown encoding "${name}"; use utf-8 (the default), windows-1252 or latin1, or another name iconv-lite knows (iso-8859-15, windows-1250, shift_jis\u2026)`
    };
  const probe = Buffer.from('email,"name"\r\n', "ascii");
  if (iconv.decode(probe, resolved, { stripBOM: false }) !== probe.toString("ascii")) {
    return {
      ok: false,
      problem: `encoding "${name}" does not write plain ASCII as ASCII, so its lines cannot be read; convert the file to UTF-8 first (e.g. iconv -f ${given} -t utf-8 in.csv > out.csv)`
    };
  }
  const decode = (bytes) => iconv.decode(bytes, resolved, { stripBOM: false });
  return { ok: true, decoding: { name: resolved, decode, decodeLine: (line) => ({ text: decode(line) }) } };
}
export {
  ENCODING_HINT,
  UTF8,
  csvDecoding
};
//# sourceMappingURL=csv-encoding.js.map
