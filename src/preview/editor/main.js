// The studio's edit pane, in the browser. Bundled with CodeMirror by esbuild (scripts/build.mjs,
// or src/preview/editor-bundle.ts when run from src/) and served from the studio itself: no CDN.
// Everything from a file or a finding is set with textContent, never parsed as HTML; the preview
// goes into a sandboxed frame's srcdoc.
import { EditorState, StateEffect, StateField, RangeSetBuilder } from '@codemirror/state';
import { Decoration, EditorView, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history as undoHistory, historyKeymap } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';

const $ = (id) => document.getElementById(id);
const meta = document.querySelector('meta[name="studio-token"]');
const TOKEN = meta.content;
const TOKEN_HEADER = meta.dataset.header;
const STORE = 'ncw-edit:';
const DELAY_MS = 500;

const S = {
  file: '',
  kind: 'tip',
  fields: [],
  /** The file's text as opened (what Save compares with the disk). */
  base: '',
  /** The form's values when opened, to know what is unsaved. */
  opened: '',
  today: '',
  width: 'desktop',
  scheme: 'light',
  preview: '',
  inFlight: false,
  again: false,
  timer: 0,
};

async function post(url, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: TOKEN },
    body: JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({ ok: false, error: `the studio answered ${res.status}` }));
  return { status: res.status, data };
}

function status(text) {
  $('status').textContent = text;
}

// ---- The body editor -------------------------------------------------------------------------

const setLineMarks = StateEffect.define();
const lineMarks = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const e of tr.effects) if (e.is(setLineMarks)) marks = e.value;
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const view = new EditorView({
  parent: $('body-editor'),
  state: EditorState.create({
    doc: '',
    extensions: [
      lineNumbers(),
      undoHistory(),
      // Tab is left to the browser, so keyboard users can move on from the editor.
      keymap.of([...defaultKeymap, ...historyKeymap]),
      markdown(),
      syntaxHighlighting(defaultHighlightStyle),
      EditorView.lineWrapping,
      lineMarks,
      EditorView.contentAttributes.of({
        'aria-labelledby': 'body-label',
        'aria-describedby': 'body-help body-problems',
      }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) changed();
      }),
    ],
  }),
});

function markLines(lines) {
  const builder = new RangeSetBuilder();
  const doc = view.state.doc;
  for (const n of [...new Set(lines)].filter((n) => n >= 1 && n <= doc.lines).sort((a, b) => a - b))
    builder.add(doc.line(n).from, doc.line(n).from, Decoration.line({ class: 'cm-problem-line' }));
  view.dispatch({ effects: setLineMarks.of(builder.finish()) });
}

function goToLine(n) {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(1, n), doc.lines));
  view.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
  view.focus();
}

/** The toolbar: each button edits the selected lines (or the cursor's) the Markdown way. */
const prefixLines = (prefix) => (text) =>
  text
    .split('\n')
    .map((l, i) => (typeof prefix === 'function' ? prefix(i) : prefix) + l.replace(/^(#{1,6} |[-*] |\d+\. |> )/, ''))
    .join('\n');
const FORMATS = {
  h2: prefixLines('## '),
  h3: prefixLines('### '),
  ul: prefixLines('- '),
  ol: prefixLines((i) => `${i + 1}. `),
  quote: prefixLines('> '),
  warning: (text) => `> [!WARNING]\n${prefixLines('> ')(text || 'When to get help.')}`,
  link: (text) => `[${text || 'link text that says where it goes'}](https://)`,
};

function format(kind) {
  const state = view.state;
  const sel = state.selection.main;
  const whole = kind !== 'link';
  const from = whole ? state.doc.lineAt(sel.from).from : sel.from;
  const to = whole ? state.doc.lineAt(sel.to).to : sel.to;
  const insert = FORMATS[kind](state.sliceDoc(from, to));
  view.dispatch({ changes: { from, to, insert }, selection: { anchor: from + insert.length } });
  view.focus();
}

for (const b of document.querySelectorAll('[data-md]')) b.addEventListener('click', () => format(b.dataset.md));

// ---- The form ------------------------------------------------------------------------------

function sourceRow(source = { title: '', url: '' }) {
  const rows = $('source-rows');
  const li = document.createElement('li');
  li.className = 'source-row';
  const n = rows.children.length + 1;
  const id = `s${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  li.innerHTML = `<div class="cell"><label for="${id}-t">Source title</label><input id="${id}-t" class="s-title" type="text"></div>
<div class="cell"><label for="${id}-u">Address (https://)</label><input id="${id}-u" class="s-url" type="url" inputmode="url" aria-describedby="${id}-e"><p class="row-error" id="${id}-e" hidden></p></div>
<div class="row-actions"><button type="button" data-act="up">Move up</button><button type="button" data-act="down">Move down</button><button type="button" data-act="remove">Remove</button></div>`;
  li.querySelector('.s-title').value = source.title;
  li.querySelector('.s-url').value = source.url;
  li.dataset.n = String(n);
  rows.append(li);
  labelRows();
  return li;
}

/** Each row's buttons name their row, so a screen reader hears "Remove source 2". */
function labelRows() {
  [...$('source-rows').children].forEach((li, i) => {
    for (const b of li.querySelectorAll('button')) b.setAttribute('aria-label', `${b.textContent} source ${i + 1}`);
  });
}

$('source-rows').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-act]');
  if (!b) return;
  const li = b.closest('li');
  if (b.dataset.act === 'remove') {
    const next = li.nextElementSibling ?? li.previousElementSibling;
    li.remove();
    (next?.querySelector('input') ?? $('add-source')).focus();
  } else if (b.dataset.act === 'up' && li.previousElementSibling) {
    li.previousElementSibling.before(li);
    b.focus();
  } else if (b.dataset.act === 'down' && li.nextElementSibling) {
    li.nextElementSibling.after(li);
    b.focus();
  }
  labelRows();
  changed();
});
$('add-source').addEventListener('click', () => {
  sourceRow().querySelector('input').focus();
  changed();
});

/** An address the newsletter may link to: https with a real host name (as check says). */
function httpsOk(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.hostname.includes('.');
  } catch {
    return false;
  }
}

function checkRows() {
  for (const li of $('source-rows').children) {
    const input = li.querySelector('.s-url');
    const err = li.querySelector('.row-error');
    const bad = input.value.trim() !== '' && !httpsOk(input.value.trim());
    input.setAttribute('aria-invalid', String(bad));
    err.hidden = !bad;
    err.textContent = bad ? 'must be an https:// address, e.g. https://www.nhs.uk/conditions/leg-cramps/' : '';
  }
}

const text = (name) => $(`f-${name}`).value;

/** The form's values, as the front matter will hold them (`undefined`: the field is not written). */
function collect(openedValues) {
  const v = {};
  const has = (k) => S.fields.includes(k);
  const optional = (k) => {
    const t = text(k).trim();
    return t === '' ? (openedValues?.[k] === null ? null : undefined) : t;
  };
  if (has('title')) v.title = text('title');
  if (has('description')) v.description = optional('description');
  if (has('week')) v.week = /^\d+$/.test(text('week').trim()) ? Number(text('week')) : text('week').trim() || null;
  for (const k of ['subject', 'preheader', 'tonight']) if (has(k)) v[k] = optional(k);
  if (has('sources'))
    v.sources = [...$('source-rows').children].map((li) => ({
      title: li.querySelector('.s-title').value.trim(),
      url: li.querySelector('.s-url').value.trim(),
    }));
  if (has('draft')) v.draft = $('f-draft').checked ? true : openedValues?.draft === undefined ? undefined : false;
  if (has('reviewed')) v.reviewed = text('reviewed').trim() || null;
  if (has('reviewed_by')) v.reviewed_by = optional('reviewed_by');
  if (has('next_review')) v.next_review = optional('next_review');
  return v;
}

function fill(values) {
  for (const k of [
    'title',
    'description',
    'week',
    'subject',
    'preheader',
    'tonight',
    'reviewed',
    'reviewed_by',
    'next_review',
  ]) {
    const el = $(`f-${k}`);
    if (el) el.value = values[k] === undefined || values[k] === null ? '' : String(values[k]);
  }
  $('f-draft').checked = values.draft === true;
  $('source-rows').replaceChildren();
  for (const s of Array.isArray(values.sources) ? values.sources : []) sourceRow(s);
  for (const el of document.querySelectorAll('[data-field]')) el.hidden = !S.fields.includes(el.dataset.field);
  counters();
}

function counters() {
  for (const c of document.querySelectorAll('.counter')) {
    const name = c.id.slice(2);
    const n = [...text(name)].length;
    const max = Number(c.dataset.max);
    c.textContent = `${n} / ${max} characters${n > max ? `: ${n - max} too many` : ''}`;
    c.classList.toggle('over', n > max);
  }
}

$('record-review').addEventListener('click', () => {
  // Today's date; a name only when the editor typed one. Never pre-filled, never invented.
  const name = $('review-name').value.trim();
  const role = $('review-role').value.trim();
  $('f-reviewed').value = S.today;
  $('f-reviewed_by').value = name ? (role ? `${name}, ${role}` : name) : '';
  S.recordReview = true;
  $('save-status').textContent =
    `Review recorded for ${S.today}${name ? ` by ${$('f-reviewed_by').value}` : ''}: save to keep it.`;
  changed();
});

$('fields').addEventListener('input', () => changed());
$('fields').addEventListener('change', () => changed());

// ---- Unsaved changes: kept in this browser, warned about on leaving ------------------------

function snapshot() {
  return { base: S.base, values: collect(S.openedValues), body: view.state.doc.toString() };
}
const dirty = () => S.file && JSON.stringify({ ...snapshot(), base: '' }) !== S.opened;

function changed() {
  if (!S.file || S.loading) return;
  counters();
  checkRows();
  if (dirty()) localStorage.setItem(STORE + S.file, JSON.stringify(snapshot()));
  else localStorage.removeItem(STORE + S.file);
  clearTimeout(S.timer);
  S.timer = setTimeout(refresh, DELAY_MS);
}

window.addEventListener('beforeunload', (e) => {
  if (!dirty()) return;
  e.preventDefault();
  e.returnValue = '';
});

// ---- Check and preview, from the unsaved text -------------------------------------------------

async function refresh() {
  if (!S.file) return;
  if (S.inFlight) {
    S.again = true;
    return;
  }
  S.inFlight = true;
  $('preview-state').textContent = 'Checking…';
  try {
    const s = snapshot();
    const { data } = await post('/api/draft', {
      file: S.file,
      base: s.base,
      values: s.values,
      body: s.body,
      recordReview: S.recordReview === true,
    });
    if (!data.ok) {
      $('preview-state').textContent = data.error ?? 'the studio could not check this text';
      return;
    }
    // A text that cannot render (a required field broken) keeps the last preview on screen.
    if (data.preview) S.preview = data.preview.html;
    renderFrame();
    showProblems(data.problems);
    $('words').textContent = `${data.words} words`;
    const over = data.maxGrade !== undefined && data.grade > data.maxGrade;
    $('grade').textContent =
      `reading grade ${data.grade}${data.maxGrade !== undefined ? ` (limit ${data.maxGrade})` : ''}`;
    $('grade').classList.toggle('over', over);
    $('preview-state').textContent = data.preview ? 'Up to date' : 'This text cannot be rendered yet: see the findings';
  } finally {
    S.inFlight = false;
    if (S.again) {
      S.again = false;
      void refresh();
    }
  }
}

const forceDark = (html) =>
  html
    .replace(/@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)/gi, '@media all')
    .replace(/<\/head>/i, '<style data-studio-dark>:root{color-scheme:dark}</style></head>');
const INVERT =
  '<style data-studio-dark>html{filter:invert(1) hue-rotate(180deg);background:#fff!important}' +
  'img,picture,video{filter:invert(1) hue-rotate(180deg)}</style>';

function renderFrame() {
  let html = S.preview;
  if (S.scheme === 'dark') html = forceDark(html);
  if (S.scheme === 'inverted') html = html.replace(/<\/head>/i, `${INVERT}</head>`);
  const frame = $('frame');
  if (frame.srcdoc !== html) frame.srcdoc = html;
  $('stage').dataset.size = S.width;
  $('stage').dataset.dark = String(S.scheme !== 'light');
}

for (const b of document.querySelectorAll('[data-width]'))
  b.addEventListener('click', () => {
    S.width = b.dataset.width;
    for (const o of document.querySelectorAll('[data-width]'))
      o.setAttribute('aria-pressed', String(o.dataset.width === S.width));
    renderFrame();
  });
$('scheme').addEventListener('change', (e) => {
  S.scheme = e.target.value;
  renderFrame();
});

/** Each finding at its field or body line, and all of them in the summary, linked to where they are. */
function showProblems(problems) {
  const byField = new Map();
  for (const p of problems) if (p.field) byField.set(p.field, [...(byField.get(p.field) ?? []), p]);
  for (const el of document.querySelectorAll('.field-error')) {
    const name = el.id.slice(2);
    const found = byField.get(name) ?? [];
    el.hidden = found.length === 0;
    el.textContent = found.map((p) => `${p.severity === 'error' ? 'Error' : 'Warning'}: ${p.message}`).join(' ');
    el.className = `field-error ${found.some((p) => p.severity === 'error') ? 'error' : 'warning'}`;
    const control = $(`f-${name}`);
    if (control) control.setAttribute('aria-invalid', String(found.some((p) => p.severity === 'error')));
  }
  const inBody = problems.filter((p) => p.bodyLine);
  markLines(inBody.map((p) => p.bodyLine));
  $('body-problems').replaceChildren(
    ...inBody.map((p) => {
      const li = document.createElement('li');
      li.className = p.severity;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'linklike';
      b.textContent = `Line ${p.bodyLine}: ${p.message}`;
      b.addEventListener('click', () => goToLine(p.bodyLine));
      li.append(b);
      return li;
    }),
  );
  const shown = problems.filter((p) => p.severity !== 'info');
  $('error-summary').hidden = shown.length === 0;
  $('summary-list').replaceChildren(
    ...shown.map((p) => {
      const li = document.createElement('li');
      li.className = p.severity;
      const a = document.createElement('a');
      a.textContent = p.cli;
      a.href = p.field ? `#f-${p.field}` : '#body-editor';
      a.addEventListener('click', (e) => {
        e.preventDefault();
        if (p.field) $(`f-${p.field}`)?.focus();
        else goToLine(p.bodyLine ?? 1);
      });
      li.append(a);
      return li;
    }),
  );
}

// ---- Open, new, save ------------------------------------------------------------------------

async function loadList(selected) {
  const { files } = await (await fetch('/api/editable')).json();
  $('open-select').replaceChildren(
    ...files.map((f) => {
      const o = document.createElement('option');
      o.value = f.file;
      o.textContent = f.file.replace(/^content\//, '');
      o.selected = f.file === selected;
      return o;
    }),
  );
}

async function open(file, { fresh = false } = {}) {
  const data = await (await fetch(`/api/file?file=${encodeURIComponent(file)}`)).json();
  if (!data.ok) return status(data.error);
  if (data.error) return status(`${data.file}: ${data.error}. Mend it in a text editor, then open it again.`);
  // Read before the form is filled: filling it must not overwrite the kept changes.
  const kept = fresh ? null : JSON.parse(localStorage.getItem(STORE + data.file) ?? 'null');
  S.loading = true;
  S.file = data.file;
  S.kind = data.kind;
  S.fields = data.fields;
  S.today = data.today;
  S.base = data.text;
  S.openedValues = data.values;
  fill(data.values);
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: data.body } });
  S.opened = JSON.stringify({ ...snapshot(), base: '' });
  if (kept) {
    // Unsaved changes from before a reload: back in the form, with the text they started from,
    // so a file changed on disk meanwhile leads to the both-versions view at Save.
    S.base = kept.base;
    fill({ ...data.values, ...kept.values });
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: kept.body } });
    status(`${data.file}: your unsaved changes are back.`);
  } else status(`Editing ${data.file}`);
  S.loading = false;
  $('file-name').textContent = data.file;
  $('workspace').hidden = false;
  $('conflict').hidden = true;
  $('diff').hidden = true;
  history.replaceState(null, '', `/edit?file=${encodeURIComponent(data.file)}`);
  await loadList(data.file);
  changed();
  void refresh();
}

$('open-file').addEventListener('submit', (e) => {
  e.preventDefault();
  if (dirty() && !confirm('Your changes to this file are kept in this browser. Open the other file?')) return;
  void open($('open-select').value);
});

$('new-tip').addEventListener('submit', async (e) => {
  e.preventDefault();
  const { data } = await post('/api/new-tip', { title: $('new-title').value });
  if (!data.ok) return status(data.error);
  $('new-title').value = '';
  await open(data.file, { fresh: true });
  $('f-title').focus();
});

let pendingSave;
$('save').addEventListener('click', async () => {
  const s = snapshot();
  pendingSave = s;
  const { status: code, data } = await post('/api/save', {
    file: S.file,
    base: s.base,
    values: s.values,
    body: s.body,
    recordReview: S.recordReview === true,
  });
  if (code === 409 && data.conflict) return showConflict(data);
  if (!data.ok) return ($('save-status').textContent = data.error);
  $('diff-lines').replaceChildren(
    ...data.diff
      .filter((d, i, all) => d.op !== ' ' || all.slice(Math.max(0, i - 2), i + 3).some((x) => x.op !== ' '))
      .map((d) => {
        const line = document.createElement('span');
        line.className = d.op === '+' ? 'add' : d.op === '-' ? 'del' : 'same';
        line.textContent = `${d.op} ${d.text}\n`;
        return line;
      }),
  );
  $('diff').hidden = false;
  $('diff').focus();
});

$('confirm-save').addEventListener('click', async () => {
  const s = pendingSave;
  const { status: code, data } = await post('/api/save', {
    file: S.file,
    base: s.base,
    values: s.values,
    body: s.body,
    recordReview: S.recordReview === true,
    confirm: true,
  });
  $('diff').hidden = true;
  if (code === 409 && data.conflict) return showConflict(data);
  if (!data.ok) return ($('save-status').textContent = data.error);
  localStorage.removeItem(STORE + S.file);
  S.recordReview = false;
  await open(S.file, { fresh: true });
  $('save-status').textContent = `Saved ${S.file}.`;
  $('save').focus();
});
$('cancel-save').addEventListener('click', () => {
  $('diff').hidden = true;
  $('save').focus();
});

function showConflict(data) {
  S.conflictDisk = data.disk;
  $('conflict-disk').textContent = data.disk;
  $('conflict-mine').textContent = data.mine;
  $('conflict').hidden = false;
  $('conflict').focus();
}
$('keep-mine').addEventListener('click', () => {
  // Mine goes over the file now on disk, after the diff against it is shown.
  S.base = S.conflictDisk;
  $('conflict').hidden = true;
  changed();
  $('save').click();
});
$('take-disk').addEventListener('click', () => {
  localStorage.removeItem(STORE + S.file);
  void open(S.file, { fresh: true });
});

const asked = new URLSearchParams(location.search).get('file');
// Marked once the pane can be used (tests wait for it; a form sent before would reload the page).
void (asked ? open(asked) : loadList('')).finally(() => (document.body.dataset.ready = 'true'));
