// ../../work/wt/h-studio/src/render/wrap.ts
var TEXT_WIDTH = 76;
var LINK = /(https?:\/\/|mailto:|%%ncw:[a-zA-Z]+Url%%)/;
function wrapText(text, width = TEXT_WIDTH) {
  return text.split("\n").flatMap((line) => wrapLine(line, width)).join("\n");
}
function wrapLine(line, width) {
  const lead = /^(\s*(?:[-*]\s+)?)/.exec(line)[1];
  const words = line.slice(lead.length).split(/ +/).filter(Boolean);
  const hasLink = words.some((w) => LINK.test(w));
  if (line.length <= width && (!hasLink || words.length === 1)) return [line];
  const hang = " ".repeat(lead.length);
  const lengthOf = (w) => /%%ncw:[a-zA-Z]+Url%%/.test(w) ? width : w.length;
  const out = [];
  let current = lead;
  let filled = false;
  for (const word of words) {
    if (filled && current.length + 1 + lengthOf(word) > width) {
      out.push(current);
      current = hang + word;
    } else {
      current += filled ? ` ${word}` : word;
    }
    filled = true;
  }
  out.push(current);
  return out;
}
export {
  TEXT_WIDTH,
  wrapText
};
//# sourceMappingURL=wrap.js.map
