import { vouchedReview } from '../../content/index.ts';
import { html } from '../html.ts';
import type { PublicContent } from './content.ts';
import { pageShell, type SiteInfo } from './layout.ts';

/** Who writes the tips, how they are sourced and checked, what the newsletter never does, and how to report a mistake. */
export function aboutPage(site: SiteInfo, content: PublicContent): string {
  const { series, tips } = content;
  const corrections = series.corrections ?? series.from.address;
  const mailto = `mailto:${corrections}?subject=${encodeURIComponent(`Mistake in ${series.name}`)}`;
  // Only people named in the tips themselves, for the text readers get now: never invented here.
  const reviewers = [...new Set([...tips, ...content.pages].flatMap((t) => vouchedReview(t)?.reviewedBy ?? []))];
  return pageShell(
    site,
    {
      title: 'About',
      description: `Who writes ${series.name}, how each tip is sourced and checked, and how to report a mistake.`,
      path: '/about',
    },
    html`<h1>About ${series.name}</h1>
<p class="lead">${series.tagline}</p>
<h2>Who writes it</h2>
<p>${series.from.name} is written by a small editorial team. Each tip is written in our own words from what public health services and medical research say about night leg cramps.</p>
${reviewers.length ? html`<p>Tips checked by a named health professional say so at the bottom. Reviewers so far: ${reviewers.join('; ')}.</p>` : html`<p>When a named health professional has reviewed a tip, the tip says so at the bottom. No tip names a reviewer who did not check it.</p>`}
<h2>How tips are sourced and checked</h2>
<ul>
<li>Every tip lists its sources at the bottom: health services such as the NHS and Mayo Clinic, and reviews of the research.</li>
<li>Every tip shows the date an editor last checked it against those sources, and is checked again within a year.</li>
<li>Where the evidence is weak, we say a step "may help", never that it cures or prevents.</li>
<li>We never suggest stopping a medicine, or starting a supplement, without your doctor.</li>
<li>Warning signs that need a doctor are on <a href="/help">When to get help</a>, and the urgent ones are at the foot of every email and page.</li>
</ul>
<h2>What we never do</h2>
<ul>
<li>No ads, no sponsors, and no products to sell.</li>
<li>No tracking: no pixels in emails, no counting of clicks, no analytics, no cookies.</li>
<li>We never share or sell your address. See <a href="/privacy">what we keep and why</a>.</li>
</ul>
<h2>Found a mistake?</h2>
<p>Please tell us: <a href="${mailto}">${corrections}</a>. Say which tip and what is wrong; a source helps. We check every report against the sources and correct the tip.</p>
<p>${series.postalAddress}</p>`,
  );
}
