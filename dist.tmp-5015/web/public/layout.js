// ../../work/wt/h-studio/src/web/public/layout.ts
import { TIMEZONE_SCRIPT } from "../assets.js";
import { html, trusted } from "../html.js";
import { siteAssets } from "./assets.js";
var NAV = [
  { path: "/tips", label: "All tips" },
  { path: "/help", label: "When to get help" },
  { path: "/about", label: "About" },
  { path: "/privacy", label: "Privacy" }
];
function pageShell(site, meta, body) {
  const { series } = site;
  const assets = siteAssets(series);
  const title = meta.title === series.name ? meta.title : `${meta.title} \xB7 ${series.name}`;
  const canonical = site.baseUrl && meta.path !== void 0 && !meta.noindex ? `${site.baseUrl}${meta.path}` : void 0;
  return html`<!doctype html>
<html lang="${series.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<meta name="description" content="${meta.description}">
${meta.noindex ? html`<meta name="robots" content="noindex, nofollow">` : ""}
${canonical && html`<link rel="canonical" href="${canonical}">`}
<meta property="og:type" content="${meta.type ?? "website"}">
<meta property="og:site_name" content="${series.name}">
<meta property="og:title" content="${meta.title}">
<meta property="og:description" content="${meta.description}">
${canonical && html`<meta property="og:url" content="${canonical}">`}
<link rel="stylesheet" href="${assets.css.path}">
<link rel="icon" href="${assets.icon.path}" type="image/svg+xml">
<link rel="alternate" type="application/atom+xml" title="${series.name}" href="/feed.xml">
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="masthead"><a href="/">${series.name}</a>
<nav aria-label="Site">${NAV.map((n) => html`<a href="${n.path}">${n.label}</a>`)}</nav>
</header>
<main id="main"${meta.card ? html` class="card"` : ""}>
${body}
</main>
<footer>
<p><strong>${series.urgentHelp}</strong> <a href="/help">All the warning signs</a></p>
<p>${series.disclaimer}</p>
<p>${series.postalAddress}</p>
</footer>
<script>${trusted(TIMEZONE_SCRIPT)}</script>
</body>
</html>
`.value;
}
export {
  NAV,
  pageShell
};
//# sourceMappingURL=layout.js.map
