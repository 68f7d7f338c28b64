import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { systemEmails, TemplateError } from '../../src/render/index.ts';
import { UNUSED_ENTRY_MS } from '../../src/render/compiled-cache.ts';
import { compileMjml } from '../../src/render/mjml.ts';
import { loadProject, type Project } from '../../src/render/project.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

/**
 * The compiled cache on disk, with real files in a temp project: a warm pass runs no MJML and
 * returns what a cold one does; every edit to a tip, a template or series.yml shows at once.
 */
const BASE = 'https://news.example.org';
const reader = {
  name: 'Ann',
  unsubscribeUrl: `${BASE}/u`,
  preferencesUrl: `${BASE}/p`,
  confirmUrl: `${BASE}/c`,
  feedbackUrl: `${BASE}/feedback?token=f`,
};

let tp: TempProject;
let cacheDir: string;
beforeEach(async () => {
  tp = await tempProject({ NEWSLETTER_BASE_URL: BASE });
  cacheDir = path.join(tp.dir, '.cache', 'compiled');
});
afterEach(() => tp.cleanup());

/** Loads the project with an MJML counter, compiles every email and fills one reader in. */
async function pass(config: Config = tp.config) {
  let runs = 0;
  const project = await loadProject(config, {
    mjml: async (mjml) => {
      runs++;
      return compileMjml(mjml);
    },
  });
  const emails = await allEmails(project);
  await project.renderer.settled();
  return { project, emails, runs, finished: emails.map((e) => project.renderer.personalise(e, reader)) };
}

async function allEmails(p: Project) {
  return [
    ...(await Promise.all(p.tips.map((t) => p.renderer.compileTip(t)))),
    ...(await Promise.all(systemEmails.map((k) => p.renderer.compileSystem(k)))),
  ];
}

const entries = async () => (await readdir(cacheDir)).sort();
const edit = async (rel: string, from: string, to: string) => {
  const file = path.join(tp.dir, rel);
  const text = await readFile(file, 'utf8');
  expect(text, `${rel} holds "${from}"`).toContain(from);
  await writeFile(file, text.replace(from, to));
};

describe('a warm cache', () => {
  it('runs no MJML the second time and returns exactly what a cold pass did', async () => {
    const cold = await pass();
    expect(cold.runs).toBe(cold.project.tips.length + systemEmails.length);
    const warm = await pass();
    expect(warm.runs).toBe(0);
    expect(warm.emails).toStrictEqual(cold.emails);
    expect(warm.finished).toStrictEqual(cold.finished);
    // The content from the cache is the loader's own output, field for field.
    const uncached = await pass({ ...tp.config, cacheDir: false });
    expect(warm.project.tips).toStrictEqual(uncached.project.tips);
    expect(warm.project.series).toStrictEqual(uncached.project.series);
    expect(warm.project.problems).toStrictEqual(uncached.project.problems);
    expect(warm.finished).toStrictEqual(uncached.finished);
  });

  it('keeps one file per email plus one for the content', async () => {
    const { project } = await pass();
    const names = await entries();
    expect(names).toHaveLength(project.tips.length + systemEmails.length + 1);
    expect(names.filter((n) => n.startsWith('content-'))).toHaveLength(1);
    expect(names).toContain(names.find((n) => n.startsWith(`tip-${project.tips[0]!.slug}-`)));
  });

  it('drops entries the project no longer uses once they are an hour old', async () => {
    const { project } = await pass();
    await edit('content/tips/03-stop-it-in-its-tracks.md', 'Two moves can help.', 'Two quick moves can help.');
    await pass();
    // Both versions of week 3 and of the content: an undo within the hour finds the old ones.
    expect(await entries()).toHaveLength(project.tips.length + systemEmails.length + 3);
    const old = new Date(Date.now() - UNUSED_ENTRY_MS - 60_000);
    for (const name of await entries()) await utimes(path.join(cacheDir, name), old, old);
    await edit('content/tips/03-stop-it-in-its-tracks.md', 'Two quick moves', 'Two short moves');
    await pass();
    const names = await entries();
    expect(names).toHaveLength(project.tips.length + systemEmails.length + 1);
    expect(
      await readFile(
        path.join(
          cacheDir,
          names.find((n) => n.startsWith('tip-stop-it-in-its-tracks-'))!,
        ),
        'utf8',
      ),
    ).toContain('Two short moves');
  });

  it('can be turned off or pointed elsewhere', async () => {
    await pass({ ...tp.config, cacheDir: false });
    await expect(readdir(cacheDir)).rejects.toThrow(/ENOENT/);
    const elsewhere = path.join(tp.dir, 'elsewhere');
    await pass({ ...tp.config, cacheDir: elsewhere });
    expect((await pass({ ...tp.config, cacheDir: elsewhere })).runs).toBe(0);
  });
});

describe('never stale: each edit is rebuilt and shows', () => {
  it('an edited tip: that tip alone is compiled again, with the new words', async () => {
    await pass();
    await edit('content/tips/03-stop-it-in-its-tracks.md', 'Two moves can help.', 'Two quick moves can help.');
    const after = await pass();
    expect(after.runs).toBe(1);
    const week3 = after.finished[after.project.tips.findIndex((t) => t.week === 3)]!;
    expect(week3.html).toContain('Two quick moves can help.');
    expect(week3.text).toContain('Two quick moves can help.');
  });

  it('an edited partial: every email using it is compiled again, with the new heading', async () => {
    await pass();
    await edit('templates/partials/sources.mjml.hbs', 'Where this comes from', 'Where this tip comes from');
    const after = await pass();
    expect(after.runs).toBe(after.project.tips.length + systemEmails.length);
    for (const [i, tip] of after.project.tips.entries())
      expect(after.finished[i]!.html, tip.file).toContain('Where this tip comes from');
  });

  it('an edited series.yml: settings and every email show the change', async () => {
    await pass();
    await edit('content/series.yml', '1 Example Lane', '7 Changed Road');
    const after = await pass();
    expect(after.project.series.postalAddress).toContain('7 Changed Road');
    expect(after.runs).toBe(after.project.tips.length + systemEmails.length);
    for (const email of after.finished) {
      expect(email.html).toContain('7 Changed Road');
      expect(email.html).not.toContain('1 Example Lane');
    }
  });
  it('another site address: every email is compiled again, and the goodbye links to it', async () => {
    await pass();
    const after = await pass({ ...tp.config, baseUrl: 'https://elsewhere.example.org' });
    expect(after.runs).toBe(after.project.tips.length + systemEmails.length);
    expect(after.finished.at(-1)!.html).toContain('href="https://elsewhere.example.org/"');
  });
});

describe('the cache is never the reason a pass fails', () => {
  it('a corrupt entry is ignored and rebuilt', async () => {
    const cold = await pass();
    const names = await entries();
    const tipEntry = names.find((n) => n.startsWith('tip-'))!;
    await writeFile(path.join(cacheDir, tipEntry), '{"format":1,"name":"trunc');
    const content = names.find((n) => n.startsWith('content-'))!;
    await writeFile(
      path.join(cacheDir, content),
      JSON.stringify({ format: 1, name: content.slice(0, -5), value: { tips: 'nope' } }),
    );
    const after = await pass();
    expect(after.runs).toBe(1);
    expect(after.finished).toStrictEqual(cold.finished);
    expect(after.project.tips).toStrictEqual(cold.project.tips);
    expect(JSON.parse(await readFile(path.join(cacheDir, tipEntry), 'utf8')).value.subject).toBeTypeOf('string');
    expect((await pass()).runs).toBe(0);
  });

  it('a folder that cannot be written compiles in memory', async () => {
    const cold = await pass({ ...tp.config, cacheDir: path.join(tp.dir, 'content', 'series.yml', 'cache') });
    expect(cold.runs).toBe(cold.project.tips.length + systemEmails.length);
    expect(cold.finished.length).toBeGreaterThan(3);
  });

  it('a template error is reported every time, with its file and line, and never cached', async () => {
    await edit(
      'templates/partials/sources.mjml.hbs',
      '<strong>Where this comes from</strong>',
      '<strong>{{tip.sourcesHeading}}</strong>',
    );
    for (let i = 0; i < 2; i++) {
      const p = await loadProject(tp.config);
      const error = await p.renderer.compileTip(p.tips[0]!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).message).toBe(
        'templates/partials/sources.mjml.hbs:4: Handlebars: "sourcesHeading" not defined',
      );
      await p.renderer.settled();
    }
    expect((await entries()).filter((n) => n.startsWith('tip-'))).toEqual([]);
  });

  it('a broken tip is reported the same from the cache, with file and line', async () => {
    await writeFile(
      path.join(tp.dir, 'content/tips/20-broken.md'),
      '---\ntitle: Broken\nweek: three\nsources: []\n---\nBody.\n',
    );
    const cold = await loadProject(tp.config);
    const warm = await loadProject(tp.config);
    const broken = cold.problems.filter((p) => p.file === path.join('content', 'tips', '20-broken.md'));
    expect(broken.map((p) => [p.line, p.severity])).toContainEqual([3, 'error']);
    expect(warm.problems).toStrictEqual(cold.problems);
    expect(warm.tips.map((t) => t.slug)).not.toContain('broken');
  });
});
