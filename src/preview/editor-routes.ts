import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { checkProject } from '../check/run-checks.ts';
import { bodyText, countWords, readingGrade } from '../check/editorial.ts';
import {
  bodyStartLine,
  editFile,
  fieldAtLine,
  readFields,
  splitText,
  type FieldValues,
} from '../content/front-matter-edit.ts';
import { pageFields } from '../content/pages.ts';
import { scaffoldTip } from '../content/scaffold.ts';
import { tipFields } from '../content/tip-schema.ts';
import { formatProblem, type Problem } from '../problems.ts';
import { resolveEditable, type EditableKind } from './editable-file.ts';
import { editorPage } from './editor-page.ts';
import { lineDiff } from './line-diff.ts';
import { withReviewOnSave } from './review-on-save.ts';
import { isSampleReader } from './samples.ts';
import type { Studio } from './studio.ts';
import { allowWrite } from './write-guard.ts';

export interface EditorRouteDeps {
  studio: Studio;
  token: string;
  now: () => Date;
}

/** A finding of `check` placed where the editor sees it: at a form field or a body line. */
export interface PlacedProblem extends Problem {
  /** The line exactly as `newsletter check` prints it. */
  cli: string;
  field?: string;
  bodyLine?: number;
}

interface EditBody {
  file?: unknown;
  base?: unknown;
  values?: unknown;
  body?: unknown;
  reader?: unknown;
  confirm?: unknown;
  /** "Record my review" was pressed since the file was opened: the save records a review of its text. */
  recordReview?: unknown;
  title?: unknown;
}

const fieldsOf = (kind: EditableKind): readonly string[] => (kind === 'tip' ? tipFields : pageFields);

/**
 * The edit pane: open a tip or page, check and preview its unsaved text with the same functions
 * `newsletter check` and the studio use, and save it atomically. Every POST is a write or runs on
 * an editor's text, so each passes the write guard (JSON, own Origin, session token).
 */
export function registerEditorRoutes(app: FastifyInstance, deps: EditorRouteDeps): void {
  const { studio, token, now } = deps;
  const { rootDir, contentDir } = studio.config;
  const resolve = (file: unknown) => resolveEditable(rootDir, contentDir, file);

  app.get('/edit', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(editorPage(studio.list().seriesName, token)),
  );

  app.get('/api/editable', async () => ({ files: await editableFiles(contentDir, rootDir) }));

  app.get<{ Querystring: { file?: string } }>('/api/file', async (request, reply) => {
    const found = await resolve(request.query.file);
    if (!found.ok) return reply.code(400).send(found);
    const text = await readFile(found.abs, 'utf8').catch(() => undefined);
    if (text === undefined) return reply.code(404).send({ ok: false, error: `${found.rel} is not there any more` });
    const split = splitText(text);
    const values = split ? readFields(split.yaml) : undefined;
    return {
      ok: true,
      file: found.rel,
      kind: found.kind,
      text,
      fields: fieldsOf(found.kind),
      body: split?.body ?? text,
      values: values?.ok ? values.values : {},
      // Shown instead of the form: the file must be mended in a text editor first.
      error: !split
        ? 'this file does not start with front matter between --- lines'
        : values && !values.ok
          ? `the front matter is not valid YAML: ${values.error}`
          : undefined,
      today: now().toISOString().slice(0, 10),
    };
  });

  app.post<{ Body: EditBody }>('/api/new-tip', async (request, reply) => {
    if (!allowWrite(request, reply, token)) return reply;
    const title = typeof request.body?.title === 'string' ? request.body.title : '';
    const made = await scaffoldTip(path.join(contentDir, 'tips'), title);
    if (!made.ok) return reply.code(400).send(made);
    await studio.reload();
    return { ok: true, file: path.relative(rootDir, made.file).split(path.sep).join('/') };
  });

  // One check at a time: each runs the whole of `check`, and a queue of them helps nobody.
  let checking: Promise<unknown> = Promise.resolve();
  app.post<{ Body: EditBody }>('/api/draft', async (request, reply) => {
    if (!allowWrite(request, reply, token)) return reply;
    const edit = await composed(request.body);
    if (!edit.ok) return reply.code(400).send(edit);
    const reader = isSampleReader(request.body.reader) ? request.body.reader : 'first';
    const run = checking.then(() => draftReport(studio, edit.rel, edit.text, reader, now()));
    checking = run.catch(() => undefined);
    return { ok: true, text: edit.text, ...(await run) };
  });

  app.post<{ Body: EditBody }>('/api/save', async (request, reply) => {
    if (!allowWrite(request, reply, token)) return reply;
    const edit = await composed(request.body);
    if (!edit.ok) return reply.code(400).send(edit);
    const disk = await readFile(edit.abs, 'utf8').catch(() => undefined);
    if (disk === undefined) return reply.code(404).send({ ok: false, error: `${edit.rel} is not there any more` });
    // Changed on disk since it was opened (a text editor, git pull): show both, write nothing.
    if (disk !== edit.base) return reply.code(409).send({ ok: false, conflict: true, disk, mine: edit.text });
    if (request.body.confirm !== true) return { ok: true, saved: false, diff: lineDiff(disk, edit.text) };
    await writeAtomically(edit.abs, edit.text);
    await studio.reload();
    return { ok: true, saved: true, text: edit.text };
  });

  async function composed(body: EditBody | undefined) {
    const found = await resolve(body?.file);
    if (!found.ok) return found;
    if (typeof body?.base !== 'string' || typeof body.body !== 'string' || !isRecord(body.values))
      return { ok: false as const, error: 'send {file, base, values, body}' };
    const edited = editFile(body.base, body.values as FieldValues, body.body, fieldsOf(found.kind));
    if (!edited.ok) return edited;
    const text = await withReviewOnSave(
      { contentDir, rootDir },
      found.rel,
      body.base,
      edited.text,
      body.recordReview === true,
    );
    return { ok: true as const, rel: found.rel, abs: found.abs, base: body.base, text };
  }
}

/** `check`'s findings for this file on the unsaved text, the preview, and the body's measures. */
async function draftReport(studio: Studio, rel: string, text: string, reader: 'first' | 'long' | 'none', now: Date) {
  const overrides = new Map([[rel, text]]);
  const report = await checkProject(studio.config, now, { overrides });
  const start = bodyStartLine(text);
  // A week clash is reported on whichever file sorts later: the editor sees it at the week field either way.
  const clash = (p: Problem) => p.check === 'unique' && p.file !== rel && p.message.includes(` ${rel};`);
  const problems: PlacedProblem[] = report.problems
    .filter((p) => p.file === rel || clash(p))
    .map((found) => {
      const p = { ...found, cli: formatProblem(found) };
      if (clash(found)) return { ...p, field: 'week' };
      if (!p.line) return p;
      if (p.line >= start) return { ...p, bodyLine: p.line - start + 1 };
      const field = fieldAtLine(text, p.line);
      return field ? { ...p, field } : p;
    });
  const preview = await studio.draftPreview(overrides, rel, reader).catch(() => undefined);
  const plain = preview ? bodyText(preview.bodyHtml) : '';
  return {
    problems,
    preview: preview ? { html: preview.html, subject: preview.subject, preheader: preview.preheader } : undefined,
    words: countWords(plain),
    grade: Math.round(readingGrade(plain) * 10) / 10,
    maxGrade: preview?.maxGrade,
  };
}

/** Temp file beside it, then rename: a reader (the site, `send`) sees the old file or the new, never half. */
async function writeAtomically(abs: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, abs);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function editableFiles(contentDir: string, rootDir: string): Promise<{ file: string; kind: EditableKind }[]> {
  const out: { file: string; kind: EditableKind }[] = [];
  for (const [folder, kind] of [
    ['tips', 'tip'],
    ['pages', 'page'],
  ] as const) {
    const names = await readdir(path.join(contentDir, folder)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.md')).sort())
      out.push({
        file: path
          .relative(rootDir, path.join(contentDir, folder, name))
          .split(path.sep)
          .join('/'),
        kind,
      });
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
