import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/check/run-checks.ts';
import { tipTemplate } from '../../src/content/scaffold.ts';
import { formatProblem } from '../../src/problems.ts';
import { startStudioServer, type StudioServer } from '../../src/preview/server.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const NOW = new Date('2026-12-05T12:00:00Z');

describe('the studio edit pane over HTTP', () => {
  let project: TempProject;
  let server: StudioServer;
  let token: string;
  const json = (extra: Record<string, string> = {}) => ({
    'content-type': 'application/json',
    origin: server.url,
    'x-studio-token': token,
    ...extra,
  });
  const post = (route: string, body: unknown, headers: Record<string, string> = json()) =>
    fetch(`${server.url}${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const open = async (file: string) =>
    (await (await fetch(`${server.url}/api/file?file=${encodeURIComponent(file)}`)).json()) as {
      ok: boolean;
      text: string;
      body: string;
      values: Record<string, unknown>;
    };

  beforeAll(async () => {
    project = await tempProject();
    server = await startStudioServer({ config: project.config, port: 0, host: '127.0.0.1', now: () => NOW });
    const page = await (await fetch(`${server.url}/edit`)).text();
    token = /name="studio-token" content="([^"]+)"/.exec(page)![1]!;
  });
  afterAll(async () => {
    await server?.close();
    await project?.cleanup();
  });

  it('"New tip" writes exactly what newsletter new writes, with the next free week', async () => {
    const res = await post('/api/new-tip', { title: 'Warm socks at night' });
    expect(res.status).toBe(200);
    const { file } = (await res.json()) as { file: string };
    expect(file).toBe('content/tips/13-warm-socks-at-night.md');
    expect(await readFile(path.join(project.dir, file), 'utf8')).toBe(tipTemplate('Warm socks at night', 13));
  });

  it('refuses paths outside content/tips and content/pages: ../, absolute, and a symbolic link out', async () => {
    const outside = path.join(project.dir, 'secret.md');
    await writeFile(outside, '---\ntitle: x\n---\n');
    await symlink(outside, path.join(project.dir, 'content/tips/99-link.md'));
    await mkdir(path.join(project.dir, 'elsewhere'));
    await symlink(path.join(project.dir, 'elsewhere'), path.join(project.dir, 'content/pages/sub'));
    const base = '---\ntitle: x\n---\n';
    for (const file of [
      'content/tips/../../secret.md',
      '../secret.md',
      outside,
      'content/series.yml',
      'templates/tip.mjml.hbs',
      'content/tips/99-link.md',
      'content/pages/sub/x.md',
    ]) {
      expect((await fetch(`${server.url}/api/file?file=${encodeURIComponent(file)}`)).status, file).toBe(400);
      const save = await post('/api/save', { file, base, values: {}, body: 'owned', confirm: true });
      expect(save.status, file).toBe(400);
    }
    expect(await readFile(outside, 'utf8')).toBe(base);
    expect(await readdir(path.join(project.dir, 'elsewhere'))).toEqual([]);
  });

  it('accepts writes only as JSON from its own page: Origin and the session token', async () => {
    const body = { title: 'Not from here' };
    expect((await post('/api/new-tip', body, json({ 'content-type': 'text/plain' }))).status).toBe(415);
    expect((await post('/api/new-tip', body, json({ origin: 'http://evil.example' }))).status).toBe(403);
    const { origin: _o, ...noOrigin } = json();
    expect((await post('/api/new-tip', body, noOrigin)).status).toBe(403);
    expect((await post('/api/new-tip', body, json({ 'x-studio-token': 'guessed' }))).status).toBe(403);
    const tips = await readdir(path.join(project.dir, 'content/tips'));
    expect(tips.some((n) => n.includes('not-from-here'))).toBe(false);
    // DNS rebinding: a foreign Host name is not answered at all.
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const u = new URL(server.url);
      request({ host: u.hostname, port: u.port, path: '/edit', headers: { host: 'evil.example' } }, (res) =>
        resolve(res.statusCode ?? 0),
      ).end();
    });
    expect(status).toBe(421);
  });

  it("checks the unsaved text with check's own function and places each finding at its field", async () => {
    const file = 'content/tips/13-warm-socks-at-night.md';
    const opened = await open(file);
    const values = { ...opened.values, sources: [{ title: 'NHS', url: 'http://www.nhs.uk/x' }] };
    const res = await post('/api/draft', { file, base: opened.text, values, body: opened.body });
    const data = (await res.json()) as { text: string; problems: { field?: string; cli: string }[] };
    const overrides = new Map([[file, data.text]]);
    const cli = (await checkProject(project.config, NOW, { overrides })).problems
      .filter((p) => p.file === file)
      .map(formatProblem);
    expect(cli.length).toBeGreaterThan(0);
    expect(data.problems.map((p) => p.cli)).toEqual(cli);
    const source = data.problems.find((p) => p.cli.includes('https://'));
    expect(source?.field).toBe('sources');
    // A week another tip has is shown at the week field, whichever file check reports it on.
    for (const week of [3, 12]) {
      const clash = await post('/api/draft', {
        file,
        base: opened.text,
        values: { ...opened.values, week },
        body: opened.body,
      });
      const found = ((await clash.json()) as { problems: { field?: string; message: string }[] }).problems;
      expect(found.find((p) => p.field === 'week')?.message, String(week)).toMatch(/is already used by/);
    }
    // Nothing was written: the check ran on the text in the request.
    expect(await readFile(path.join(project.dir, file), 'utf8')).toBe(opened.text);
  });

  it('saves atomically after a diff; a file changed on disk meanwhile is shown, never overwritten', async () => {
    const file = 'content/tips/13-warm-socks-at-night.md';
    const opened = await open(file);
    const values = { ...opened.values, title: 'Warm socks, at night' };
    const ask = (await (await post('/api/save', { file, base: opened.text, values, body: opened.body })).json()) as {
      saved: boolean;
      diff: { op: string; text: string }[];
    };
    expect(ask.saved).toBe(false);
    expect(ask.diff.filter((d) => d.op !== ' ')).toEqual([
      { op: '-', text: 'title: "Warm socks at night"' },
      { op: '+', text: 'title: "Warm socks, at night"' },
    ]);
    const abs = path.join(project.dir, file);
    const theirs = opened.text.replace('week: 13', 'week: 14');
    await writeFile(abs, theirs);
    const clash = await post('/api/save', { file, base: opened.text, values, body: opened.body, confirm: true });
    expect(clash.status).toBe(409);
    const both = (await clash.json()) as { disk: string; mine: string };
    expect(both.disk).toBe(theirs);
    expect(both.mine).toContain('title: "Warm socks, at night"');
    expect(await readFile(abs, 'utf8')).toBe(theirs);
    // Choosing "keep mine" sends the disk text as the base: only then is it written.
    const saved = await post('/api/save', { file, base: theirs, values, body: opened.body, confirm: true });
    expect(saved.status).toBe(200);
    const text = await readFile(abs, 'utf8');
    expect(text).toBe(both.mine);
    expect((await readdir(path.dirname(abs))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a save that records a review binds it to the saved text; next_review is written as given', async () => {
    const file = 'content/tips/01-what-happens-in-your-calf.md';
    const opened = await open(file);
    const tonight = String(opened.values.tonight).replace('a pen and paper', 'a pen and a notepad');
    const values = { ...opened.values, tonight, reviewed: '2026-12-05', reviewed_by: null, next_review: '2027-06-01' };
    const body = opened.body;
    const res = await post('/api/save', { file, base: opened.text, values, body, confirm: true, recordReview: true });
    expect(res.status).toBe(200);
    const text = await readFile(path.join(project.dir, file), 'utf8');
    expect(text).toMatch(/^next_review: "?2027-06-01"?$/m);
    expect(text).not.toMatch(/^reviewed_by:/m);
    // check finds the review current: no review-stale finding for this file.
    const report = await checkProject(project.config, NOW);
    expect(report.problems.filter((p) => p.file === file && p.check.startsWith('review'))).toEqual([]);
    // The same edit saved without a review leaves it stale: check names the field.
    const again = await open(file);
    const retold = String(again.values.tonight).replace('a notepad', 'a small notepad');
    const resaved = await post('/api/save', {
      file,
      base: again.text,
      values: { ...again.values, tonight: retold },
      body: again.body,
      confirm: true,
    });
    expect(resaved.status).toBe(200);
    expect(await resaved.json()).toMatchObject({ ok: true, saved: true });
    expect(await readFile(path.join(project.dir, file), 'utf8')).toContain('a small notepad');
    const stale = (await checkProject(project.config, NOW)).problems.filter(
      (p) => p.file === file && p.check === 'review-stale',
    );
    expect(stale.map((p) => p.message)).toEqual([
      expect.stringMatching(/tonight.* changed since the review of 2026-12-05/),
    ]);
  });

  it("badges each email with exactly what check counts for its file (a draft's findings included)", async () => {
    await server.studio.reload();
    await server.studio.snapshot();
    const list = (await (await fetch(`${server.url}/api/list`)).json()) as {
      emails: { file: string; status?: { errors: number; warnings: number } }[];
    };
    const report = await checkProject(project.config, NOW);
    const draft = list.emails.find((e) => e.file === 'content/tips/13-warm-socks-at-night.md')!;
    const counted = report.problems.filter((p) => p.file === draft.file);
    expect(counted.filter((p) => p.severity === 'warning').length).toBeGreaterThan(3);
    expect(draft.status).toMatchObject({
      errors: counted.filter((p) => p.severity === 'error').length,
      warnings: counted.filter((p) => p.severity === 'warning').length,
    });
  });
});
