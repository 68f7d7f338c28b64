import { escapeHtml } from '../content/escape.ts';
import { sampleReaderIds, sampleReaders } from './samples.ts';

/**
 * The studio's one page. Only the frame is drawn here; the browser code fills it from the JSON
 * routes (with textContent, so nothing from a tip or a message is ever parsed as HTML).
 */
export function studioPage(seriesName: string): string {
  const readers = sampleReaderIds
    .map((id) => `<option value="${id}">${escapeHtml(sampleReaders[id].label)}</option>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview studio · ${escapeHtml(seriesName)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/studio.css">
<script type="module" src="/assets/studio.js"></script>
</head>
<body>
<header class="top">
  <div class="brand"><strong>${escapeHtml(seriesName)}</strong> <span>Preview studio</span></div>
  <a class="edit-link top-link" href="/edit">Write or edit a tip</a>
  <div id="live" class="live" role="status" aria-live="polite">connecting…</div>
</header>
<div class="layout">
  <nav class="sidebar" aria-label="Emails">
    <div id="fatal" class="fatal" hidden></div>
    <h2>Series</h2>
    <ul id="series-list" class="list"></ul>
    <h2>System emails</h2>
    <ul id="system-list" class="list"></ul>
    <section id="feedback-section" hidden>
    <h2>Reader comments</h2>
    <p class="hint">"Did this help?" answers from the subscriber store: counts under each tip, the latest comments here.</p>
    <ul id="feedback-comments" class="list comments"></ul>
    </section>
    <h2>Dev inbox <span id="inbox-count" class="count"></span></h2>
    <p class="hint">Messages the outbox transport wrote, newest first.</p>
    <ul id="inbox-list" class="list"></ul>
  </nav>
  <main class="main">
    <div class="toolbar" role="toolbar" aria-label="View">
      <div class="group" role="tablist" aria-label="Part">
        <button type="button" data-view="email" role="tab">Email</button>
        <button type="button" data-view="text" role="tab">Text</button>
        <button type="button" data-view="source" role="tab">HTML source</button>
        <button type="button" data-view="headers" role="tab">Headers</button>
        <button type="button" data-view="checks" role="tab">Checks <span id="checks-count" class="count"></span></button>
      </div>
      <div class="group" aria-label="Width">
        <button type="button" data-width="desktop" aria-pressed="true">Desktop</button>
        <button type="button" data-width="phone" aria-pressed="false">Phone</button>
      </div>
      <label class="reader" title="Dark: the email's own dark styles, as Apple Mail, iOS and Outlook.com show them. Inverted: the colour inversion some apps apply regardless.">Scheme <select id="scheme"><option value="light">Light</option><option value="dark">Dark</option><option value="inverted">Dark, inverted by the app</option></select></label>
      <label class="reader">Reader <select id="reader">${readers}</select></label>
    </div>
    <section id="summary" class="summary" aria-label="Summary"></section>
    <section id="stage" class="stage" aria-live="polite">
      <div id="error-view" class="error-view" hidden></div>
      <div id="email-view" class="frame-wrap" data-part="email"><iframe id="frame" title="The email as the reader gets it" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"></iframe></div>
      <pre id="text-view" class="text-view" data-part="text" hidden></pre>
      <pre id="source-view" class="source-view" data-part="source" hidden></pre>
      <div id="headers-view" class="headers-view" data-part="headers" hidden></div>
      <div id="checks-view" class="checks-view" data-part="checks" hidden></div>
    </section>
    <form id="send-test" class="send-test">
      <label for="send-to">Send me a test</label>
      <input id="send-to" type="email" name="to" placeholder="you@example.org" required autocomplete="email">
      <button type="submit">Send</button>
      <span id="send-result" role="status"></span>
    </form>
  </main>
</div>
</body>
</html>
`;
}
