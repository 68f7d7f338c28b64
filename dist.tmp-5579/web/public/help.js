// ../../work/wt/h-studio/src/web/public/help.ts
import { html, trusted } from "../html.js";
import { pageShell } from "./layout.js";
import { reviewLine } from "./tips.js";
function helpPage(site, content) {
  const page = content.pages.find((p) => p.name === "help");
  const { series } = content;
  if (!page) {
    return pageShell(
      site,
      { title: "When to get help", description: series.urgentHelp, path: "/help" },
      html`<h1>When to get help</h1>
<p><strong>${series.urgentHelp}</strong></p>
<p>If you are worried about a cramp or your legs, talk to a doctor.</p>`
    );
  }
  return pageShell(
    site,
    { title: page.title, description: page.description, path: "/help" },
    html`<article>
<h1>${page.title}</h1>
<div class="notice">${urgentParagraphs(series.urgentTiers ?? [series.urgentHelp])}</div>
${trusted(page.webHtml)}
<section class="sources" aria-labelledby="sources">
<h2 id="sources">Where this comes from</h2>
${reviewLine(page)}
<ul>${page.sources.map((s) => html`<li><a href="${s.url}">${s.title}</a></li>`)}</ul>
</section>
</article>`
  );
}
function urgentParagraphs(tiers) {
  return tiers.map((part) => {
    const at = part.indexOf(": ");
    return at > 0 ? html`<p><strong>${part.slice(0, at + 1)}</strong> ${part.slice(at + 2)}</p>` : html`<p><strong>${part}</strong></p>`;
  });
}
export {
  helpPage
};
//# sourceMappingURL=help.js.map
