// ../../work/wt/h-studio/src/web/public/assets.ts
import { createHash } from "node:crypto";
import { QUOTE_RULE, WARNING_COLOURS as W } from "../../content/alerts.js";
import { faviconSvg, siteCss } from "../assets.js";
var PUBLIC_CSS = `.skip{position:absolute;left:-10000px}.skip:focus{left:1rem;top:1rem;background:#fff;color:var(--brand);padding:.5rem 1rem;z-index:1}
.masthead{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;align-items:baseline}
.masthead nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.masthead nav a{font-weight:400;font-size:1rem;text-decoration:underline;text-underline-offset:3px}
main img{max-width:100%;height:auto}
.quote{margin:0 0 1rem;padding:.125rem 0 .125rem 1rem;border-left:3px solid ${QUOTE_RULE}}
.quote>*,.important>*{margin-top:0;margin-bottom:.5rem}
.quote>:last-child,.important>:last-child{margin-bottom:0}
.important{margin:1.25rem 0;padding:.75rem 1rem;background:${W.background};border:1px solid ${W.border};border-left:6px solid ${W.edge}}
.important-label{margin:0 0 .25rem;font-size:.9375rem;font-weight:700;letter-spacing:.04em;text-transform:uppercase;color:${W.label}}
.important a{color:var(--text)}
main pre{white-space:pre-wrap;font-size:.9375rem}
.tonight{margin:1.5rem 0;padding:1rem 1.25rem;background:#f3f6f9;border-left:4px solid var(--brand)}
.tonight h2{margin:0 0 .25rem;font-size:.9375rem;letter-spacing:.04em;text-transform:uppercase;color:var(--muted)}
.tonight p{margin:0}
.week{color:var(--muted);margin:.5rem 0 0}
.sources{border-top:1px solid var(--line);margin-top:2rem;padding-top:.5rem;font-size:.9375rem;color:var(--muted)}
.sources h2{font-size:1rem;margin:1rem 0 .25rem;color:var(--text)}
.outline{padding-left:0;list-style:none}
.outline li{margin:0 0 .75rem}
.outline .line{display:block;color:var(--muted);font-size:.9375rem}
.promise{font-weight:700}
.sample{border:1px solid var(--line);border-radius:6px;padding:0 1rem .5rem;margin:1rem 0}
.pager{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem 1rem;margin:2rem 0 0}
.subscribe{border-top:1px solid var(--line);margin-top:2rem}
dl.fields{margin:.5rem 0 1rem}
dl.fields dt{font-weight:700;margin-top:.75rem}
dl.fields dd{margin:0}
dl.fields .column{display:block;color:var(--muted);font-size:.875rem}
dl.fields code,.meta code{font-size:.875rem;overflow-wrap:anywhere}
.meta{color:var(--muted);font-size:.9375rem}
main a{overflow-wrap:anywhere}
`;
var shortHash = (body) => createHash("sha256").update(body).digest("hex").slice(0, 12);
var made = /* @__PURE__ */ new Map();
function siteAssets(series) {
  let assets = made.get(series.brandColor);
  if (!assets) {
    const css = siteCss(series.brandColor) + PUBLIC_CSS;
    const icon = faviconSvg(series.brandColor);
    assets = {
      css: { path: `/assets/site.${shortHash(css)}.css`, type: "text/css; charset=utf-8", body: css },
      icon: { path: `/assets/icon.${shortHash(icon)}.svg`, type: "image/svg+xml", body: icon }
    };
    made.set(series.brandColor, assets);
  }
  return assets;
}
export {
  siteAssets
};
//# sourceMappingURL=assets.js.map
