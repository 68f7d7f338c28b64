import { bodyParts, newestFirst, vouchedReview, type ReviewStatus, type Tip } from '../../content/index.ts';
import { html, trusted, type SafeHtml } from '../html.ts';
import { subscribeForm } from '../pages.ts';
import type { PublicContent } from './content.ts';
import { pageShell, type SiteInfo } from './layout.ts';

/** The archive: every published tip in week order (drafts never reach `content.tips`). */
export function archivePage(site: SiteInfo, content: PublicContent): string {
  const { series, tips } = content;
  return pageShell(
    site,
    {
      title: 'All tips',
      description: `Every tip of ${series.name} so far, in the order readers get them.`,
      path: '/tips',
    },
    html`<h1>All tips</h1>
<p>Every tip so far, in the order subscribers get them, one a week. <a href="/feed.xml">Follow them in a feed reader</a>.</p>
<ol class="outline">
${tips.map((t) => html`<li><a href="/tips/${t.slug}">Week ${t.week}: ${t.title}</a><span class="line">${t.preheader}</span></li>`)}
</ol>
<h2 id="subscribe">Get one a week</h2>
${subscribeForm()}`,
  );
}

/**
 * "Checked 2026-11-28 · Reviewed by Dr Ann Lee, GP", as the email's sources line says it: only
 * while the recorded review still vouches for the text (an edit since takes the line away).
 */
export function reviewLine(item: { reviewed?: string; reviewedBy?: string; review: ReviewStatus }): SafeHtml | false {
  const vouched = vouchedReview(item);
  if (!vouched) return false;
  return html`<p class="meta">Checked against its sources on <time datetime="${vouched.reviewed}">${vouched.reviewed}</time>${vouched.reviewedBy ? html`. Reviewed by ${vouched.reviewedBy}` : ''}.</p>`;
}

/** "Corrected DATE: …" notes, newest first, above the tip's text so nobody reads the old claim first. */
function correctionNotes(tip: Tip): SafeHtml | false {
  if (tip.corrections.length === 0) return false;
  return html`<section class="corrections" aria-label="Corrections">
${newestFirst(tip.corrections).map((c) => html`<p class="correction"><strong>Corrected <time datetime="${c.date}">${c.date}</time>:</strong> ${c.text}</p>`)}
</section>`;
}

/**
 * One tip as a web page: the email's content (week, title, body, tonight callout, sources,
 * review line) without the greeting or any personal link, then `afterTip` and a sign-up form.
 */
export function tipPage(site: SiteInfo, content: PublicContent, tip: Tip, afterTip?: SafeHtml): string {
  const { tips } = content;
  const at = tips.indexOf(tip);
  const previous = at > 0 ? tips[at - 1] : undefined;
  const next = at >= 0 ? tips[at + 1] : undefined;
  // The sign-off ("Next week: …") follows the tonight box, as in the email.
  const { main, closing } = bodyParts(tip, 'web');
  return pageShell(
    site,
    { title: tip.title, description: tip.preheader || tip.title, path: `/tips/${tip.slug}`, type: 'article' },
    html`<article>
<p class="week">Week ${tip.week}</p>
<h1>${tip.title}</h1>
${correctionNotes(tip)}
${trusted(main)}
${tip.tonight && html`<aside class="tonight" aria-labelledby="tonight"><h2 id="tonight">Try this tonight</h2><p>${tip.tonight}</p></aside>`}
${closing && trusted(closing)}
<section class="sources" aria-labelledby="sources">
<h2 id="sources">Where this comes from</h2>
${reviewLine(tip)}
<ul>${tip.sources.map((s) => html`<li><a href="${s.url}">${s.title}</a></li>`)}</ul>
</section>
</article>
${afterTip}
<nav class="pager" aria-label="More tips">
${previous ? html`<a href="/tips/${previous.slug}" rel="prev">← Week ${previous.week}: ${previous.title}</a>` : html`<span></span>`}
${next ? html`<a href="/tips/${next.slug}" rel="next">Week ${next.week}: ${next.title} →</a>` : html`<a href="/tips">All tips</a>`}
</nav>
<section class="subscribe" aria-labelledby="subscribe">
<h2 id="subscribe">Get a tip like this every week</h2>
${subscribeForm()}
</section>`,
  );
}
