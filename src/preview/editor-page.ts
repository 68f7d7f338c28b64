import { escapeHtml } from '../content/escape.ts';
import { PREHEADER_MAX } from '../content/tip-schema.ts';
import { TOKEN_HEADER } from './write-guard.ts';

/** Subject lines over this are cut in most inboxes (`check` warns at the same length). */
export const SUBJECT_MAX = 78;

interface FieldHelp {
  label: string;
  help: string;
}

/** Labels and help text, in the words of the editor's guide (docs/editing.md). */
export const FIELD_HELP: Record<string, FieldHelp> = {
  title: { label: 'Title', help: 'The headline.' },
  description: { label: 'Description', help: 'One line for search results and link previews.' },
  week: {
    label: 'Week',
    help: 'A positive whole number, unique: the order readers get tips in. Changing it never resends a tip.',
  },
  subject: {
    label: 'Subject',
    help: `The email's subject (default: the title); keep it under ${SUBJECT_MAX} characters.`,
  },
  preheader: {
    label: 'Preheader',
    help: `The inbox preview line, at most ${PREHEADER_MAX} characters (40–150 reads best).`,
  },
  tonight: {
    label: 'Try this tonight',
    help: 'One concrete thing to try tonight, shown once in a highlighted box after the tip. Never repeat it in the body.',
  },
  sources: {
    label: 'Sources',
    help: 'At least one source, each a title and an https:// address (emails link only to https); each source once.',
  },
  draft: { label: 'Draft', help: 'A draft is previewed, never sent. Turn it off when the tip is ready.' },
  reviewed: {
    label: 'Reviewed on',
    help: 'The date (2026-11-28) someone last checked the text against its sources; required to publish. "Record my review" fills it in, and saving binds it to the text as `newsletter review` does.',
  },
  reviewed_by: {
    label: 'Reviewed by',
    help: 'The name and role of the person who checked it, e.g. "Dr Ann Lee, GP". Only a real person who did: never invent one.',
  },
  next_review: {
    label: 'Next review',
    help: 'When to check the text again (2027-11-28); leave it empty for the default, a year after the review. Once it has passed, check warns, and production holds the tip.',
  },
};

function field(name: string, control: string, extra = ''): string {
  const h = FIELD_HELP[name]!;
  return `<div class="field" data-field="${name}" hidden>
  <label for="f-${name}">${escapeHtml(h.label)}</label>
  <p class="help" id="h-${name}">${escapeHtml(h.help)}</p>
  ${control}${extra}
  <p class="field-error" id="e-${name}" hidden></p>
</div>`;
}

const input = (name: string, attrs = '') =>
  `<input id="f-${name}" name="${name}" aria-describedby="h-${name} e-${name}"${attrs}>`;

/**
 * The edit pane's page: a form for the front matter, the body editor, the live preview and
 * `check`'s findings. The browser code (editor.js, bundled with CodeMirror) fills and drives
 * it; the session token for writes is in a meta tag only this page carries.
 */
export function editorPage(seriesName: string, token: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="studio-token" content="${escapeHtml(token)}" data-header="${TOKEN_HEADER}">
<title>Edit · ${escapeHtml(seriesName)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/studio.css">
<link rel="stylesheet" href="/assets/editor.css">
<script type="module" src="/assets/editor.js"></script>
</head>
<body class="editor-body">
<header class="top">
  <div class="brand"><strong>${escapeHtml(seriesName)}</strong> <span>Edit pane</span></div>
  <nav aria-label="Studio"><a href="/">Back to the preview studio</a></nav>
</header>
<main id="main">
<h1 class="visually-hidden">Write and edit tips</h1>
<section class="open-bar" aria-label="Open or create">
  <form id="new-tip" class="inline-form">
    <label for="new-title">New tip: title</label>
    <input id="new-title" name="title" required aria-describedby="new-help">
    <button type="submit">New tip</button>
    <span id="new-help" class="help">Makes the same draft as <code>newsletter new</code>, with the next free week.</span>
  </form>
  <form id="open-file" class="inline-form">
    <label for="open-select">Edit a file</label>
    <select id="open-select" name="file"></select>
    <button type="submit">Edit</button>
  </form>
  <p id="status" role="status" class="status"></p>
</section>
${dialogs()}
<div id="workspace" class="workspace" hidden>
${fieldsForm()}
${previewPane()}
</div>
</main>
</body>
</html>
`;
}

const count = (name: string, max: number) =>
  ` <span class="counter" id="c-${name}" data-max="${max}" aria-live="off">0 / ${max}</span>`;

/** The front matter form and the body editor, each field with its label, help and finding. */
function fieldsForm(): string {
  return `  <form id="fields" class="fields" novalidate aria-labelledby="file-name">
    <h2 id="file-name"></h2>
    <div id="error-summary" class="error-summary" role="region" aria-labelledby="summary-h" hidden tabindex="-1">
      <h3 id="summary-h">What <code>check</code> says about this file</h3>
      <ul id="summary-list"></ul>
    </div>
    ${field('title', input('title', ' type="text"'))}
    ${field('description', input('description', ' type="text"'))}
    ${field('week', input('week', ' type="number" min="1" step="1" inputmode="numeric"'))}
    ${field('subject', input('subject', ' type="text"'), count('subject', SUBJECT_MAX))}
    ${field('preheader', `<textarea id="f-preheader" name="preheader" rows="2" aria-describedby="h-preheader e-preheader c-preheader"></textarea>`, count('preheader', PREHEADER_MAX))}
    ${field('tonight', `<textarea id="f-tonight" name="tonight" rows="2" aria-describedby="h-tonight e-tonight"></textarea>`)}
    <fieldset class="field" data-field="sources" id="f-sources" tabindex="-1" aria-describedby="h-sources e-sources" hidden>
      <legend>${escapeHtml(FIELD_HELP.sources!.label)}</legend>
      <p class="help" id="h-sources">${escapeHtml(FIELD_HELP.sources!.help)}</p>
      <ol id="source-rows" class="source-rows"></ol>
      <button type="button" id="add-source">Add a source</button>
      <p class="field-error" id="e-sources" hidden></p>
    </fieldset>
    <div class="field" data-field="draft" hidden>
      <input id="f-draft" name="draft" type="checkbox" aria-describedby="h-draft e-draft">
      <label for="f-draft">${escapeHtml(FIELD_HELP.draft!.label)}</label>
      <p class="help" id="h-draft">${escapeHtml(FIELD_HELP.draft!.help)}</p>
      <p class="field-error" id="e-draft" hidden></p>
    </div>
    <fieldset class="review" aria-describedby="review-help">
      <legend>Review</legend>
      <p class="help" id="review-help">After you check the text against its sources, record it: today's date is written, and your name and role only if you give them.</p>
      ${field('reviewed', input('reviewed', ' type="text" inputmode="numeric" placeholder="YYYY-MM-DD" autocomplete="off"'))}
      ${field('reviewed_by', input('reviewed_by', ' type="text" autocomplete="off"'))}
      ${field('next_review', input('next_review', ' type="text" inputmode="numeric" placeholder="YYYY-MM-DD" autocomplete="off"'))}
      <div class="record">
        <label for="review-name">Your name (optional)</label>
        <input id="review-name" type="text" autocomplete="off">
        <label for="review-role">Your role (optional)</label>
        <input id="review-role" type="text" autocomplete="off">
        <button type="button" id="record-review">Record my review</button>
      </div>
    </fieldset>
    <div class="body-field">
      <h3 id="body-label">Body (Markdown)</h3>
      <p class="help" id="body-help">Plain words, short sentences. A warning is an alert (<code>&gt; [!WARNING]</code>) and shows as "Important".</p>
      <div class="md-toolbar" role="toolbar" aria-label="Formatting" aria-controls="body-editor">
        <button type="button" data-md="h2">Heading</button>
        <button type="button" data-md="h3">Sub-heading</button>
        <button type="button" data-md="ul">Bulleted list</button>
        <button type="button" data-md="ol">Numbered list</button>
        <button type="button" data-md="link">Link</button>
        <button type="button" data-md="warning">Warning</button>
        <button type="button" data-md="quote">Quote</button>
      </div>
      <div id="body-editor" class="body-editor"></div>
      <p class="measures"><span id="words">0 words</span> · <span id="grade">reading grade –</span></p>
      <ul id="body-problems" class="body-problems" aria-label="Findings in the body"></ul>
    </div>
    <div class="actions">
      <button type="button" id="save">Save…</button>
      <span id="save-status" role="status"></span>
    </div>
  </form>
`;
}

/** The email as the unsaved text makes it, in the studio's widths and schemes. */
function previewPane(): string {
  return `  <section class="preview" aria-labelledby="preview-h">
    <h2 id="preview-h">Preview (unsaved text)</h2>
    <div class="preview-controls">
      <div role="group" aria-label="Width">
        <button type="button" data-width="desktop" aria-pressed="true">Desktop</button>
        <button type="button" data-width="phone" aria-pressed="false">Phone</button>
      </div>
      <label>Scheme <select id="scheme"><option value="light">Light</option><option value="dark">Dark</option><option value="inverted">Dark, inverted by the app</option></select></label>
      <span id="preview-state" class="preview-state" role="status"></span>
    </div>
    <div class="stage" id="stage" data-size="desktop"><div class="frame-wrap"><iframe id="frame" title="The email as the reader gets it, from the unsaved text" sandbox="allow-same-origin"></iframe></div></div>
  </section>
`;
}

/** Shown at Save: the diff to confirm, or both versions when the file changed on disk. */
function dialogs(): string {
  return `<div id="conflict" class="conflict" hidden tabindex="-1">
  <h2>The file changed on disk since you opened it</h2>
  <p>Nothing was saved. Someone (a text editor, <code>git pull</code>) changed it. Your version is kept here and in this browser until you choose.</p>
  <div class="both">
    <div><h3 id="disk-h">On disk now</h3><pre id="conflict-disk" aria-labelledby="disk-h" tabindex="0"></pre></div>
    <div><h3 id="mine-h">Yours (not saved)</h3><pre id="conflict-mine" aria-labelledby="mine-h" tabindex="0"></pre></div>
  </div>
  <button type="button" id="keep-mine">Keep mine: review the changes to save over the file on disk</button>
  <button type="button" id="take-disk">Take the file on disk and drop mine</button>
</div>
<div id="diff" class="diff-box" hidden tabindex="-1">
  <h2>Save these changes?</h2>
  <pre id="diff-lines" tabindex="0" aria-label="Changes: lines starting with + are added, - removed"></pre>
  <button type="button" id="confirm-save">Save the file</button>
  <button type="button" id="cancel-save">Go back to editing</button>
</div>
`;
}
