// ../../work/wt/h-studio/src/web/public/privacy.ts
import { html } from "../html.js";
import { pageShell } from "./layout.js";
function plainWords(column) {
  const words = column.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
function privacyPage(site, content, data) {
  const { series } = content;
  return pageShell(
    site,
    {
      title: "Privacy",
      description: `Exactly what ${series.name} stores about you, why, for how long, who can see it, and how to download or delete it.`,
      path: "/privacy"
    },
    html`<h1>What we keep about you</h1>
<p class="lead">Only what you give us and what it takes to send you the tips. This list is made from the database itself, so it shows every field we store.</p>
<h2>What we never collect</h2>
<ul>
<li>No tracking pixels: we cannot see whether you open an email.</li>
<li>No click tracking: links in our emails go straight to where they say.</li>
<li>No cookies, no analytics, and nothing loaded from other companies' servers on this site.</li>
<li>Our service log never names you: addresses are masked in it.</li>
</ul>
<h2>Download or delete your data</h2>
<p>Every email we send ends with a link to your preferences. There you can download everything below about you as a file (JSON), or delete it at once. After a deletion we keep only a one-way fingerprint of your address, so we never email it again unless you sign up anew. Lost the emails? Write to <a href="mailto:${series.from.address}">${series.from.address}</a> from the address you subscribed with.</p>
${data.tables.map(
      (t) => html`<h2 id="${t.name}">${t.purpose}</h2>
<dl class="fields">
${t.columns.map((c) => html`<dt>${c.label ?? plainWords(c.name)}</dt><dd>${c.description ?? "Not described yet: please ask us what it holds."} <span class="column">In the database: <code>${c.name}</code></span></dd>`)}
</dl>
<p class="meta">Stored in the table <code>${t.name}</code>.</p>
<p><strong>How long:</strong> ${t.kept}</p>
<p><strong>Who can see it:</strong> ${t.seenBy}</p>`
    )}
${data.unclassified.length > 0 && html`<h2>Other tables</h2><p>These tables are not described yet: ${data.unclassified.join(", ")}. Ask us what they hold.</p>`}
<h2>Questions</h2>
<p>Write to <a href="mailto:${series.from.address}">${series.from.address}</a>, or by post to ${series.postalAddress}.</p>`
  );
}
export {
  privacyPage
};
//# sourceMappingURL=privacy.js.map
