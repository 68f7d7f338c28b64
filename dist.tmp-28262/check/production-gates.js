// ../../work/wt/h-studio/src/check/production-gates.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
import { sortProblems } from "../problems.js";
async function productionGates(config, series) {
  return sortProblems([...baseUrlProblems(config), ...await productionProblems(config, series)]);
}
function baseUrlProblems(config) {
  if (config.baseUrl.startsWith("https://")) return [];
  return [
    {
      severity: "error",
      check: "production",
      message: `NEWSLETTER_BASE_URL is ${config.baseUrl}: production needs https (RFC 8058 one-click unsubscribe and every link in the emails): set NEWSLETTER_BASE_URL=https://your-domain.org`
    }
  ];
}
var RESERVED_DOMAIN = /(^|\.)(example|test|invalid|localhost)$|(^|\.)example\.(com|net|org)$/i;
var PLACEHOLDER_POSTAL = /\bexample\b|replace|placeholder|EX1 2MP/i;
var SENDER_EXAMPLE = 'NEWSLETTER_FROM="Night Cramp Weekly <tips@your-domain.org>"';
async function productionProblems(config, series) {
  const problems = [];
  const seriesPath = path.join(config.contentDir, "series.yml");
  const file = path.relative(config.rootDir, seriesPath).split(path.sep).join("/");
  const text = await readFile(seriesPath, "utf8").catch(() => "");
  const lineOf = (re) => {
    const i = text.split("\n").findIndex((l) => re.test(l));
    return i >= 0 ? { line: i + 1 } : {};
  };
  if (PLACEHOLDER_POSTAL.test(series.postalAddress)) {
    problems.push({
      severity: "error",
      check: "production",
      file,
      ...lineOf(/^postalAddress:/),
      message: `postalAddress is still the placeholder ("${series.postalAddress}"): set the real postal address readers can write to (anti-spam laws require one in every email)`
    });
  }
  const envAddress = config.from ? (/<([^<>]+)>/.exec(config.from)?.[1] ?? config.from).trim() : void 0;
  const address = envAddress ?? series.from.address;
  const domain = address.split("@").pop() ?? "";
  if (RESERVED_DOMAIN.test(domain)) {
    problems.push(
      envAddress ? {
        severity: "error",
        check: "production",
        message: `NEWSLETTER_FROM uses ${address}, a reserved example domain no mail server accepts: set ${SENDER_EXAMPLE}`
      } : {
        severity: "error",
        check: "production",
        file,
        ...lineOf(/^\s+address:/),
        message: `from.address ${address} is on a reserved example domain no mail server accepts: set the real sender here or ${SENDER_EXAMPLE}`
      }
    );
  }
  return problems;
}
export {
  baseUrlProblems,
  productionGates,
  productionProblems
};
//# sourceMappingURL=production-gates.js.map
