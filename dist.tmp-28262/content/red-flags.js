// ../../work/wt/h-studio/src/content/red-flags.ts
var TIERS = [
  { id: "now", heading: "Call {{emergency}} (or your local emergency number) now" },
  { id: "today", heading: "Get medical help today" },
  { id: "soon", heading: "See your doctor soon" },
  { id: "visit", heading: "Book a visit" }
];
var TIER_IDS = TIERS.map((t) => t.id);
var TIER_HEADING = /^(#{2,3})[ \t]+(.*?)[ \t]*\{#([A-Za-z0-9-]+)\}[ \t]*$/;
var ANY_HEADING = /^#{1,6}[ \t]/;
var KEYED_ITEM = /^([-*+])[ \t]+\{#([A-Za-z0-9-]+)\}[ \t]*(.*)$/;
var ANY_ITEM = /^[-*+][ \t]+/;
var CONTINUATION = /^[ \t]{2,}\S/;
var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
function parseRedFlags(body, file, bodyLine) {
  const problems = [];
  const add = (severity, line, message) => problems.push({ severity, check: "red-flags", file, line, message });
  const tiers = [];
  const keys = /* @__PURE__ */ new Map();
  let tier;
  let item;
  body.split("\n").forEach((raw, i) => {
    const text = raw.replace(/\r$/, "");
    const line = bodyLine + i;
    const heading = TIER_HEADING.exec(text);
    if (heading) {
      item = void 0;
      tier = tierFromHeading(heading, line, tiers, add);
      if (tier) tiers.push(tier);
      return;
    }
    if (ANY_HEADING.test(text)) {
      tier = void 0;
      item = void 0;
      return;
    }
    if (!tier) return;
    const keyed = KEYED_ITEM.exec(text);
    if (keyed) {
      const [, bullet, key, rest] = keyed;
      if (!ID.test(key))
        add("error", line, `sign key {#${key}} must be lower-case letters, digits and hyphens, e.g. {#dvt}`);
      const first = keys.get(key);
      if (first !== void 0)
        add("error", line, `sign key {#${key}} is already used on line ${first}: give each sign its own key`);
      else keys.set(key, line);
      const lead = /^\*\*(.+?)\*\*/.exec(rest)?.[1];
      item = { key, line, lines: [`${bullet} ${rest}`], ...lead ? { lead } : {} };
      tier.items.push(item);
      tier.after = [];
      return;
    }
    if (ANY_ITEM.test(text)) {
      add(
        "warning",
        line,
        'this sign has no key, so no tip can include it on its own: start it with one, e.g. "- {#cold-foot} A foot \u2026"'
      );
      item = { key: "", line, lines: [text] };
      tier.items.push(item);
      tier.after = [];
      return;
    }
    if (item && CONTINUATION.test(text)) {
      item.lines.push(text);
      return;
    }
    item = void 0;
    if (tier.items.length === 0) tier.intro.push(text);
    else tier.after.push(text);
  });
  finishTiers(tiers, bodyLine, add);
  return { flags: { file, tiers }, problems };
}
function tierFromHeading(heading, line, tiers, add) {
  const [, hashes, words, id] = heading;
  if (!TIER_IDS.includes(id)) {
    add(
      "error",
      line,
      `unknown tier id {#${id}}: the four tiers are ${TIERS.map((t) => `{#${t.id}}`).join(", ")} (most urgent first)`
    );
    return void 0;
  }
  if (tiers.some((t) => t.id === id)) {
    add("error", line, `tier {#${id}} appears twice: each tier has one heading; move these signs under the first one`);
    return void 0;
  }
  return { id, line, headingLine: `${hashes} ${words}`, heading: words, intro: [], items: [], after: [] };
}
function finishTiers(tiers, bodyLine, add) {
  for (const t of tiers) {
    t.intro = trimBlank(t.intro);
    t.after = trimBlank(t.after);
  }
  const seen = TIERS.filter((t) => tiers.some((x) => x.id === t.id));
  for (const t of TIERS) {
    if (!seen.includes(t))
      add(
        "error",
        bodyLine,
        `help.md has no tier {#${t.id}}: add the heading "## ${t.heading} {#${t.id}}" with its signs`
      );
  }
  const order = tiers.map((t) => TIER_IDS.indexOf(t.id));
  if (order.some((o, i) => i > 0 && o < order[i - 1])) {
    add(
      "error",
      tiers[order.findIndex((o, i) => i > 0 && o < order[i - 1])].line,
      `the tiers must come most urgent first: ${TIERS.map((t) => `{#${t.id}}`).join(", ")}`
    );
  }
}
function trimBlank(lines) {
  let start = 0;
  let end = lines.length;
  while (start < end && !lines[start].trim()) start++;
  while (end > start && !lines[end - 1].trim()) end--;
  return lines.slice(start, end);
}
var INCLUDE_LINE = /^([ \t]*(?:>[ \t]?)*)\{\{\s*red-flags\s+([A-Za-z0-9-]+)\s*(?::\s*([^}]*?))?\s*\}\}[ \t]*$/;
var DIRECTIVE_LINE = /^[ \t]*(?:>[ \t]?)*\{\{[^}]*\}\}[ \t]*$/;
var TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;
function expandBody(markdown, ctx) {
  const problems = [];
  const err = (line, message) => problems.push({ severity: "error", check: "include", file: ctx.file, line, message });
  const out = [];
  markdown.split("\n").forEach((text, i) => {
    const line = ctx.bodyLine + i;
    const include = INCLUDE_LINE.exec(text);
    if (include) {
      const [, prefix = "", tierId = "", list] = include;
      const lines = includedLines(tierId, list, ctx, (m) => err(line, m));
      if (lines)
        out.push(
          ...lines.map((l) => prefix ? l ? `${prefix}${l}` : prefix.trimEnd() : l).map((l) => withTokens(l, ctx, line, err))
        );
      return;
    }
    if (DIRECTIVE_LINE.test(text) && !/^\s*(?:>\s?)*\{\{\s*emergency\s*\}\}\s*$/.test(text)) {
      err(
        line,
        `"${text.trim()}" is not an include: write {{red-flags TIER}} or {{red-flags TIER: sign, sign}}, with TIER one of ${TIER_IDS.join(", ")}`
      );
      return;
    }
    const stripped = ctx.stripMarkers ? stripMarkers(text) : text;
    out.push(withTokens(stripped, ctx, line, err));
  });
  return { markdown: out.join("\n"), problems };
}
function withTokens(text, ctx, line, err) {
  return text.replace(TOKEN, (whole, name) => {
    if (name === "emergency") return ctx.emergency;
    err(
      line,
      `unknown placeholder ${whole}: a body may use {{emergency}} (the number in series.yml) and lines of {{red-flags TIER}}`
    );
    return whole;
  });
}
function stripMarkers(text) {
  const heading = TIER_HEADING.exec(text);
  if (heading) return `${heading[1]} ${heading[2]}`;
  const item = KEYED_ITEM.exec(text);
  if (item) return `${item[1]} ${item[3]}`;
  return text;
}
function includedLines(tierId, list, ctx, err) {
  const help = ctx.flags?.file ?? "content/pages/help.md";
  if (!ctx.flags) {
    err(`{{red-flags ${tierId}}} needs ${help}, which is missing or unreadable: the warning signs live there`);
    return void 0;
  }
  const tier = ctx.flags.tiers.find((t) => t.id === tierId);
  if (!tier) {
    const hint = TIER_IDS.includes(tierId) ? `${help} has no heading with {#${tierId}}` : `the tiers are ${TIER_IDS.join(", ")}`;
    err(`{{red-flags ${tierId}}} names tier "${tierId}", which does not exist: ${hint}`);
    return void 0;
  }
  if (list === void 0) {
    return [
      tier.headingLine,
      "",
      ...tier.intro.length ? [...tier.intro, ""] : [],
      ...tier.items.flatMap((it) => it.lines),
      ...tier.after.length ? ["", ...tier.after] : []
    ];
  }
  const keys = list.split(",").map((k) => k.trim()).filter(Boolean);
  if (!keys.length) {
    err(
      `{{red-flags ${tierId}:}} names no sign: list their keys, e.g. {{red-flags ${tierId}: ${tier.items.find((x) => x.key)?.key ?? "dvt"}}}`
    );
    return void 0;
  }
  const items = [];
  let missing = false;
  for (const key of keys) {
    const found = tier.items.find((it) => it.key === key);
    if (found) {
      items.push(found);
      continue;
    }
    missing = true;
    const elsewhere = ctx.flags.tiers.find((t) => t.items.some((it) => it.key === key));
    const known = tier.items.map((it) => it.key).filter(Boolean);
    err(
      elsewhere ? `sign "${key}" is in tier "${elsewhere.id}" (${elsewhere.heading.replace(/\{\{\s*emergency\s*\}\}/, ctx.emergency)}), not "${tierId}": include it as {{red-flags ${elsewhere.id}: ${key}}} and check the words around it` : `{{red-flags ${tierId}: \u2026}} names sign "${key}", which tier "${tierId}" of ${help} does not have${known.length ? `; its signs: ${known.join(", ")}` : ""}`
    );
  }
  if (missing) return void 0;
  return [
    `**${tier.heading}**`,
    "",
    ...tier.intro.length ? [...tier.intro, ""] : [],
    ...items.flatMap((it) => it.lines)
  ];
}
function urgentLines(flags, emergency) {
  const lines = [];
  for (const id of ["now", "today"]) {
    const tier = flags.tiers.find((t) => t.id === id);
    if (!tier) continue;
    const leads = tier.items.flatMap(
      (it) => it.lead ? [lowerFirst(plain(it.lead, emergency).replace(/[\s.:;,]+$/, ""))] : []
    );
    if (!leads.length) continue;
    const where = id === "today" && tier.intro.length ? ` ${plain(tier.intro.join(" "), emergency)}` : "";
    lines.push(`${plain(tier.heading, emergency)}: ${leads.join("; ")}.${where}`.replace(/\s+/g, " ").trim());
  }
  return lines;
}
function plain(markdown, emergency) {
  return markdown.replace(/\{\{\s*emergency\s*\}\}/g, emergency).replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/\*\*|__|`/g, "").replace(/(^|\W)[*_](\S[^*_]*?)[*_](?=\W|$)/g, "$1$2").trim();
}
function lowerFirst(s) {
  return /^[A-Z](?![A-Z])/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}
export {
  INCLUDE_LINE,
  TIERS,
  expandBody,
  parseRedFlags,
  stripMarkers,
  urgentLines
};
//# sourceMappingURL=red-flags.js.map
