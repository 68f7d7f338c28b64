import type { Tip } from '../../content/index.ts';
import { html, trusted, type SafeHtml } from '../html.ts';
import { subscribeForm, type SubscribeFormState } from '../pages.ts';
import type { PublicContent } from './content.ts';
import { pageShell, type SiteInfo } from './layout.ts';

/** "12 weeks, one evening a week, no ads, no tracking": the count follows the published tips. */
export function promise(tips: readonly Tip[]): string {
  // Before the first tip is published, a count of "0 weeks" would be the page's first promise.
  if (tips.length === 0)
    return 'One tip a week in your evening, no ads, no tracking. The first tips are being written and checked now.';
  return `${tips.length} ${tips.length === 1 ? 'week' : 'weeks'}, one evening a week, no ads, no tracking.`;
}

/** The first paragraph of a tip's body, for the sample on the start page. */
function firstParagraph(tip: Tip): SafeHtml {
  // A plain paragraph (`<p>` with no class: not a warning's label). Our own renderer's markup,
  // escaped when it was made from Markdown.
  const m = /<p>[\s\S]*?<\/p>/.exec(tip.webHtml);
  return trusted(m ? m[0] : '');
}

/** The start page's heading: what the page offers, not the newsletter's name again. */
export const HOME_HEADING = 'Weekly tips for night leg cramps, by email';

/** The start page: the form, what a reader gets (the outline and a sample tip), and the promise. */
export function homePage(site: SiteInfo, content: PublicContent, state: SubscribeFormState = {}): string {
  const { series, tips } = content;
  const sample = tips[0];
  return pageShell(
    site,
    { title: series.name, description: `${series.tagline} ${promise(tips)}`, path: '/' },
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
${
  tips.length > 0 &&
  html`<h2 id="outline">What you get, week by week</h2>
<ol class="outline">
${tips.map((t) => html`<li><a href="/tips/${t.slug}">Week ${t.week}: ${t.title}</a><span class="line">${t.preheader}</span></li>`)}
</ol>`
}
${
  sample &&
  html`<h2 id="sample">A sample tip</h2>
<div class="sample">
<h3>Week ${sample.week}: ${sample.title}</h3>
${firstParagraph(sample)}
<p><a href="/tips/${sample.slug}">Read the whole tip: ${sample.title}</a></p>
</div>`
}`,
  );
}
