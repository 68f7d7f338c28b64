// ../../work/wt/h-studio/src/render/email-checks.ts
import { parseDocument } from "htmlparser2";
import { findAll, getAttributeValue, textContent } from "domutils";
import {
  clientFamilies,
  clientSupport,
  describeClients,
  familyNames,
  unsupportedSomewhere
} from "./client-support.js";
var HTML_WARN_BYTES = 80 * 1024;
var HTML_MAX_BYTES = 100 * 1024;
var STYLE_MAX_BYTES = 16 * 1024;
var SUBJECT_MAX = 78;
var PREHEADER_MIN = 40;
var PREHEADER_MAX = 150;
var READING_WARN_MINUTES = 5;
var WORDS_PER_MINUTE = 200;
function checkEmail(email, options) {
  const out = [];
  const add = (severity, check, message) => out.push({
    severity,
    check,
    message: options.label ? `${options.label}: ${message}` : message,
    ...options.file ? { file: options.file } : {}
  });
  checkSize(email.html, add);
  const doc = parseDocument(email.html);
  const all = (name) => findAll((e) => e.name === name, doc.children);
  checkDocument(all, add);
  checkImages(all, add);
  for (const a of all("a")) checkLink(a, options.baseUrl, add);
  checkInboxLines(email, add);
  checkText(email.text, add);
  return out;
}
var kb = (n) => `${(n / 1024).toFixed(1)} KB`;
function checkSize(html, add) {
  const bytes = Buffer.byteLength(html);
  if (bytes > HTML_MAX_BYTES)
    add(
      "error",
      "html-size",
      `HTML is ${kb(bytes)}, over the ${kb(HTML_MAX_BYTES)} limit (Gmail clips near 102 KB): shorten the tip`
    );
  else if (bytes > HTML_WARN_BYTES)
    add("warning", "html-size", `HTML is ${kb(bytes)}, close to the ${kb(HTML_MAX_BYTES)} limit`);
}
function checkDocument(all, add) {
  const styleBytes = all("style").reduce((n, e) => n + Buffer.byteLength(textContent(e)), 0);
  if (styleBytes > STYLE_MAX_BYTES)
    add("warning", "style-size", `<style> blocks hold ${kb(styleBytes)}; Gmail drops styles over 16 KB`);
  const html = all("html")[0];
  if (!html || !getAttributeValue(html, "lang"))
    add("error", "lang", "the <html> element has no lang attribute (screen readers need it)");
  if (!all("title")[0] || !textContent(all("title")[0]).trim()) add("error", "title", "the email has no <title>");
  if (all("table").some((table) => getAttributeValue(table, "role") !== "presentation"))
    add("error", "table-role", 'a layout table lacks role="presentation" (screen readers read it as data)');
}
function checkImages(all, add) {
  for (const img of all("img")) {
    const src = getAttributeValue(img, "src") ?? "";
    if (getAttributeValue(img, "alt") === void 0) add("error", "image-alt", `image ${src} has no alt text`);
    if (!/^https:\/\//.test(src)) add("error", "image-src", `image "${src}" is not an https address`);
    if (!getAttributeValue(img, "width"))
      add("warning", "image-width", `image ${src} has no width attribute (Outlook shows it at full size)`);
  }
}
function checkLink(a, baseUrl, add) {
  const href = (getAttributeValue(a, "href") ?? "").trim();
  const label = textContent(a).trim().slice(0, 40);
  if (!href || href === "#" || /^(javascript:|#)/i.test(href) || /example\.com|TODO|%%ncw:/i.test(href)) {
    add("error", "link", `link "${label}" has an empty or placeholder address "${href}"`);
  } else if (sameSite(href, baseUrl)) {
    return;
  } else if (isLoopback(href) && isLoopback(baseUrl)) {
    add(
      "warning",
      "link",
      `link "${label}" goes to ${new URL(href).origin}, but the configured base URL is ${baseUrl}: give the site and this command the same PORT or NEWSLETTER_BASE_URL (e.g. in .env)`
    );
  } else if (!/^https:\/\/[^/\s]+\.[^\s]+$/i.test(href) && !/^mailto:[^\s@]+@[^\s@]+$/i.test(href)) {
    add("error", "link", `link "${label}" to "${href}" must be absolute https:// or mailto:`);
  }
}
function checkInboxLines({ subject, preheader }, add) {
  const subjectLength = [...subject].length;
  if (subjectLength > SUBJECT_MAX)
    add("warning", "subject", `subject is ${subjectLength} characters; inboxes cut it after about ${SUBJECT_MAX}`);
  const pre = [...preheader].length;
  if (pre === 0) add("warning", "preheader", "no preheader: inboxes will show the first words of the email instead");
  else if (pre < PREHEADER_MIN || pre > PREHEADER_MAX)
    add(
      "warning",
      "preheader",
      `preheader is ${pre} characters; ${PREHEADER_MIN}-${PREHEADER_MAX} reads best in inbox previews`
    );
}
function checkText(text, add) {
  if (!text.trim()) add("error", "text-part", "the plain-text part is empty");
  const reading = readingTime(text);
  const about = `reading time about ${reading.minutes} minute${reading.minutes === 1 ? "" : "s"} (${reading.words} words)`;
  if (reading.minutes > READING_WARN_MINUTES)
    add("warning", "reading-time", `${about}: long for a bedtime read; keep it under ${READING_WARN_MINUTES} minutes`);
  else add("info", "reading-time", about);
}
function readingTime(text) {
  const words = text.replace(/\b(https?:\/\/|mailto:)\S+/g, " ").split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return { words, minutes: Math.max(1, Math.round(words / WORDS_PER_MINUTE)) };
}
function checkEmailSet(emails, options) {
  const support = emails.map((e) => clientSupport(e.email.html));
  const names = support.map((s) => new Set(s.features.map((f) => f.feature)));
  const shared = new Set(names.length > 1 ? [...names[0]].filter((n) => names.every((set) => set.has(n))) : []);
  const perEmail = emails.map((e, i) => checkEmailInSet(e, shared, options.baseUrl, support[i]));
  return { perEmail, support, shared, sharedProblems: sharedClientProblems(support, shared, options.layoutFile) };
}
function sameSite(href, baseUrl) {
  try {
    const u = new URL(href);
    const base = new URL(baseUrl);
    return u.origin === base.origin && u.pathname.startsWith(base.pathname.replace(/\/?$/, "/").replace(/^\/$/, "/"));
  } catch {
    return false;
  }
}
function isLoopback(url) {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || /^127\./.test(host);
  } catch {
    return false;
  }
}
function checkEmailInSet(e, shared, baseUrl, support = clientSupport(e.email.html)) {
  return [
    ...checkEmail(e.email, { baseUrl, ...e.file ? { file: e.file } : {}, ...e.label ? { label: e.label } : {} }),
    ...clientProblems(support, shared, e)
  ];
}
function clientProblems(support, shared, where) {
  return support.features.filter((f) => !shared.has(f.feature) && unsupportedSomewhere(f)).map((f) => {
    const message = `\`${f.feature}\` is not supported by ${describeClients(f, "no")} (caniemail)`;
    return {
      severity: "info",
      check: "client-support",
      message: where.label ? `${where.label}: ${message}` : message,
      ...where.file ? { file: where.file } : {}
    };
  });
}
function sharedClientProblems(support, shared, file) {
  const first = support[0];
  if (!first) return [];
  const out = [];
  for (const family of clientFamilies) {
    const lacking = first.features.filter((f) => shared.has(f.feature) && f.clients[family].level === "no").map((f) => `\`${f.feature}\``);
    if (!lacking.length) continue;
    out.push({
      severity: "info",
      check: "client-support",
      message: `every email's layout uses ${lacking.length} feature${lacking.length === 1 ? "" : "s"} that some ${familyNames[family]} apps do not support (caniemail; MJML falls back): ${lacking.join(", ")}`,
      ...file ? { file } : {}
    });
  }
  return out;
}
export {
  HTML_MAX_BYTES,
  HTML_WARN_BYTES,
  PREHEADER_MAX,
  PREHEADER_MIN,
  READING_WARN_MINUTES,
  STYLE_MAX_BYTES,
  SUBJECT_MAX,
  WORDS_PER_MINUTE,
  checkEmail,
  checkEmailInSet,
  checkEmailSet,
  readingTime
};
//# sourceMappingURL=email-checks.js.map
