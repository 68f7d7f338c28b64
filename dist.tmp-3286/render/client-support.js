// ../../work/wt/h-studio/src/render/client-support.ts
import { createHash } from "node:crypto";
import { doIUseEmail } from "@jsx-email/doiuse-email";
var clientFamilies = ["gmail", "outlook", "apple-mail", "yahoo"];
var familyNames = {
  gmail: "Gmail",
  outlook: "Outlook",
  "apple-mail": "Apple Mail",
  yahoo: "Yahoo"
};
var variantNames = {
  "desktop-webmail": "webmail",
  "mobile-webmail": "mobile webmail",
  windows: "Windows",
  "windows-mail": "Windows Mail",
  macos: "macOS",
  ios: "iOS",
  android: "Android"
};
var rank = { yes: 0, partial: 1, no: 2 };
function split(client) {
  const [family, variant = ""] = client.split(".");
  if (!clientFamilies.includes(family)) return void 0;
  return { family, app: variantNames[variant] ?? variant };
}
var cache = /* @__PURE__ */ new Map();
function clientSupport(html) {
  const key = createHash("sha1").update(html).digest("hex");
  const hit = cache.get(key);
  if (hit) return hit;
  const result = analyse(html);
  if (cache.size > 300) cache.clear();
  cache.set(key, result);
  return result;
}
function analyse(html) {
  const answer = doIUseEmail(html, { emailClients: clientFamilies.map((f) => `${f}.*`) });
  const byFeature = /* @__PURE__ */ new Map();
  const entry = (feature) => {
    let f = byFeature.get(feature);
    if (!f) {
      const none = () => ({ level: "yes", no: [], partial: [] });
      const clients = {
        gmail: none(),
        outlook: none(),
        "apple-mail": none(),
        yahoo: none()
      };
      f = { feature, clients, notes: [] };
      byFeature.set(feature, f);
    }
    return f;
  };
  const mark = (feature, client, level) => {
    const where = split(client);
    if (!where) return;
    const support = entry(feature).clients[where.family];
    const list = support[level];
    if (!list.includes(where.app)) list.push(where.app);
    if (rank[level] > rank[support.level]) support.level = level;
  };
  for (const line of "errors" in answer ? answer.errors : []) {
    const m = /^`(.+)` is not supported by `(.+)`$/.exec(line);
    if (m) mark(m[1], m[2], "no");
  }
  for (const line of answer.warnings) {
    const m = /^`(.+)` is only partially supported by `(.+)`$/.exec(line);
    if (m) mark(m[1], m[2], "partial");
  }
  for (const line of answer.notes) {
    const m = /^Note about `(.+)` support for `(.+?)`: (.+)$/s.exec(line);
    if (!m) continue;
    const where = split(m[2]);
    const f = byFeature.get(m[1]);
    if (!where || !f) continue;
    const note = `${familyNames[where.family]} (${where.app}): ${m[3].trim()}`;
    if (!f.notes.includes(note)) f.notes.push(note);
  }
  const worst = (f) => clientFamilies.reduce((n, c) => n + rank[f.clients[c].level] * 10 + f.clients[c].no.length, 0);
  return {
    features: [...byFeature.values()].sort((a, b) => worst(b) - worst(a) || a.feature.localeCompare(b.feature))
  };
}
function unsupportedSomewhere(f) {
  return clientFamilies.some((c) => f.clients[c].level === "no");
}
function describeClients(f, level) {
  return clientFamilies.filter((c) => f.clients[c][level].length).map((c) => `${familyNames[c]} (${f.clients[c][level].join(", ")})`).join(", ");
}
export {
  clientFamilies,
  clientSupport,
  describeClients,
  familyNames,
  unsupportedSomewhere
};
//# sourceMappingURL=client-support.js.map
