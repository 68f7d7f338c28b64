// ../../work/wt/h-studio/src/mailer/quoted-printable.ts
import { encode, wrap } from "libqp";
import { escapeHtml } from "../content/escape.js";
import { joinFilled } from "../render/personalise.js";
var LINE = 76;
var SOFT_BREAK = "=\r\n";
function encodeChunk(text) {
  if (text === "") return "";
  if (PRINTABLE_ASCII.test(text)) return `${encodeAsciiLine(text)}${SOFT_BREAK}`;
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const last = lines.length - 1;
  let out = "";
  for (let i = 0; i <= last; i++) {
    const line = lines[i];
    if (i < last) out += `${wrap(encode(line), LINE)}\r
`;
    else if (line !== "") out += wrap(encode(line), LINE) + SOFT_BREAK;
  }
  return out;
}
var PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
function encodeAsciiLine(text) {
  let out = "";
  let column = 0;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const equals = text.charCodeAt(i) === 61;
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
var encodedPieces = /* @__PURE__ */ new WeakMap();
function piecesOf(f) {
  let pieces = encodedPieces.get(f);
  if (!pieces) {
    pieces = f.pieces.map(encodeChunk);
    encodedPieces.set(f, pieces);
  }
  return pieces;
}
function fillEncoded(f, values, escape) {
  const out = joinFilled(
    piecesOf(f),
    f.names,
    values,
    escape ? (value) => encodeChunk(escapeHtml(value)) : encodeChunk
  );
  return out.endsWith(SOFT_BREAK) && !/[ \t]=\r\n$/.test(out) ? out.slice(0, -SOFT_BREAK.length) : out;
}
function encodeParts(email) {
  return { html: encodePart(email.html), text: encodePart(email.text) };
}
var encodePart = (part) => fillEncoded(part.fillable, part.values, part.escape);
export {
  encodeChunk,
  encodeParts,
  fillEncoded
};
//# sourceMappingURL=quoted-printable.js.map
