// ../../work/wt/h-studio/src/web/public/home.ts
import { html, trusted } from "../html.js";
import { subscribeForm } from "../pages.js";
import { pageShell } from "./layout.js";
function promise(tips) {
  if (tips.length === 0)
    return "One tip a week in your evening, no ads, no tracking. The first tips are being written and checked now.";
  return `${tips.length} ${tips.length === 1 ? "week" : "weeks"}, one evening a week, no ads, no tracking.`;
}
function firstParagraph(tip) {
  const m = /<p>[\s\S]*?<\/p>/.exec(tip.webHtml);
  return trusted(m ? m[0] : "");
}
var HOME_HEADING = "Weekly tips for night leg cramps, by email";
function homePage(site, content, state = {}) {
  const { series, tips } = content;
  const sample = tips[0];
  return pageShell(
    site,
    { title: series.name, description: `${series.tagline} ${promise(tips)}`, path: "/" },
    // The masthead already names the newsletter: the page's one heading says what it is for.
    html`<h1>${HOME_HEADING}</h1>
<p class="lead">${series.tagline}</p>
<p class="promise">${promise(tips)}</p>
<ul>
<li>One short tip a week, in your evening before bed.</li>
<li>Each tip names its sources and the date it was last checked. No ads, no products, no tracking of opens or clicks.</li>
<li>Pause, change the time, or leave with one click, whenever you like.</li>
</ul>
${subscribeForm(state)}
<p class="hint">Read first: <a href="/privacy">what we keep about you</a>, <a href="/about">who writes this</a>.</p>
${tips.length > 0 && html`<h2 id="outline">What you get, week by week</h2>
<ol class="outline">
${tips.map((t) => html`<li><a href="/tips/${t.slug}">Week ${t.week}: ${t.title}</a><span class="line">${t.preheader}</span></li>`)}
</ol>`}
${sample && html`<h2 id="sample">A sample tip</h2>
<div class="sample">
<h3>Week ${sample.week}: ${sample.title}</h3>
${firstParagraph(sample)}
<p><a href="/tips/${sample.slug}">Read the whole tip: ${sample.title}</a></p>
</div>`}`
  );
}
export {
  HOME_HEADING,
  homePage,
  promise
};
//# sourceMappingURL=home.js.map
