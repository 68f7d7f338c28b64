import type { Series } from '../../content/index.ts';
import { TIMEZONE_SCRIPT } from '../assets.ts';
import { html, trusted, type SafeHtml } from '../html.ts';
import { siteAssets } from './assets.ts';

/** What one page says about itself to browsers, search engines and link previews. */
export interface PageMeta {
  /** The page's own title (the series' name is added after it). */
  title: string;
  description: string;
  /** The path on the site (`/tips/stop-it`); with the base URL it makes the canonical address. */
  path?: string;
  /** Personal or transactional pages (links with tokens): kept out of search engines. */
  noindex?: boolean;
  /** `article` for a tip; `website` otherwise. */
  type?: 'website' | 'article';
  /**
   * A short page reached from a link or a form (check your inbox, you are in, unsubscribed):
   * a card as tall as what it says, not a sheet stretched down the screen.
   */
  card?: boolean;
}

export interface SiteInfo {
  series: Series;
  /** NEWSLETTER_BASE_URL without a trailing slash; absent, no canonical address is given. */
  baseUrl?: string;
}

export const NAV: readonly { path: string; label: string }[] = [
  { path: '/tips', label: 'All tips' },
  { path: '/help', label: 'When to get help' },
  { path: '/about', label: 'About' },
  { path: '/privacy', label: 'Privacy' },
];

/**
 * The one frame of every page of the site: title, description, canonical address and Open
 * Graph meta, the language, landmarks (header with navigation, main, footer), and the
 * urgent-help line. Only the site's own assets: no fonts, scripts or images from elsewhere.
 */
export function pageShell(site: SiteInfo, meta: PageMeta, body: SafeHtml): string {
  const { series } = site;
  const assets = siteAssets(series);
  const title = meta.title === series.name ? meta.title : `${meta.title} · ${series.name}`;
  const canonical =
    site.baseUrl && meta.path !== undefined && !meta.noindex ? `${site.baseUrl}${meta.path}` : undefined;
  return html`<!doctype html>
<html lang="${series.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<meta name="description" content="${meta.description}">
${meta.noindex ? html`<meta name="robots" content="noindex, nofollow">` : ''}
${canonical && html`<link rel="canonical" href="${canonical}">`}
<meta property="og:type" content="${meta.type ?? 'website'}">
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
<main id="main"${meta.card ? html` class="card"` : ''}>
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
