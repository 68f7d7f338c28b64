// ../../work/wt/h-studio/src/content/colour.ts
function contrastRatio(a, b) {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
function luminance(hex) {
  const n = parseInt(hex.slice(1), 16);
  const channels = [n >> 16 & 255, n >> 8 & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}
function lightenFor(hex, background, min = 4.5) {
  const n = parseInt(hex.slice(1), 16);
  const rgb = [n >> 16 & 255, n >> 8 & 255, n & 255];
  for (let t = 0; t <= 1; t += 0.05) {
    const mixed = `#${rgb.map(
      (c) => Math.round(c + (255 - c) * t).toString(16).padStart(2, "0")
    ).join("")}`;
    if (contrastRatio(mixed, background) >= min) return mixed;
  }
  return "#ffffff";
}
export {
  contrastRatio,
  lightenFor
};
//# sourceMappingURL=colour.js.map
