import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';
import { runCli } from '../support/run-cli.ts';

const exec = promisify(execFile);

describe('newsletter check', () => {
  it('passes on the real content (run as the installed command)', async () => {
    const { stdout } = await exec(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'check'], { cwd: repoRoot, env: { ...process.env, NEWSLETTER_SECRET: '' } });
    expect(stdout).toMatch(/✓ 12 tips and 3 system emails rendered; 0 errors/);
  });

  describe('on a temporary copy', () => {
    let project: TempProject;
    beforeEach(async () => {
      project = await tempProject();
    });
    afterEach(() => project.cleanup());

    it('exits 1 with path:line: message for each broken file', async () => {
      const tip = path.join(project.dir, 'content/tips/03-stop-it-in-its-tracks.md');
      const text = await readFile(tip, 'utf8');
      await writeFile(tip, text.replace(/^week: 3$/m, 'week: three'));
      await writeFile(path.join(project.dir, 'content/tips/13-extra.md'), '---\ntitle: Extra\nweek: 13\n---\nBody.\n');
      const run = await runCli(['check'], project.dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('content/tips/03-stop-it-in-its-tracks.md:3: week must be a positive integer (got "three")');
      expect(run.stdout).toContain('content/tips/13-extra.md:2: sources must list at least one source as {title, url}');
      expect(run.stdout).toMatch(/2 errors/);
    });

    it('fails a tip whose email goes over 100 KB', async () => {
      const paragraph = 'Stretch your calf gently and breathe slowly while you hold it. '.repeat(40);
      const body = Array.from({ length: 50 }, () => paragraph).join('\n\n');
      await writeFile(
        path.join(project.dir, 'content/tips/13-too-long.md'),
        `---\ntitle: Too long\nweek: 13\nsources:\n  - {title: NHS, url: "https://www.nhs.uk/conditions/leg-cramps/"}\n---\n${body}\n`,
      );
      const run = await runCli(['check'], project.dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^content\/tips\/13-too-long\.md: week 13: HTML is \d+\.\d KB, over the 100\.0 KB limit \(Gmail clips near 102 KB\): shorten the tip$/m);
    });

    it('reports a broken template at its file and line', async () => {
      const file = path.join(project.dir, 'templates/partials/header.mjml.hbs');
      await writeFile(file, (await readFile(file, 'utf8')).replace('<mj-column>', '<mj-column bogus="1">'));
      const run = await runCli(['check'], project.dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('templates/partials/header.mjml.hbs:2: MJML: <mj-column> Attribute bogus is illegal');
    });

    it('`new` writes a draft with the next free week that check accepts', async () => {
      const made = await runCli(['new', 'Socks, sheets & slippers!'], project.dir, {}, new Date('2026-12-01T10:00:00Z'));
      expect(made.code).toBe(0);
      expect(made.stdout).toBe('content/tips/13-socks-sheets-slippers.md');
      const text = await readFile(path.join(project.dir, made.stdout), 'utf8');
      expect(text).toMatch(/^title: "Socks, sheets & slippers!"$/m);
      expect(text).toMatch(/^week: 13$/m);
      expect(text).toMatch(/^draft: true$/m);
      expect(text).toMatch(/^reviewed: 2026-12-01$/m);
      const check = await runCli(['check'], project.dir);
      expect(check.stdout).toMatch(/✓ 13 tips/);
      expect(check.code).toBe(0);
      const again = await runCli(['new', 'Socks sheets slippers'], project.dir);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already has the slug "socks-sheets-slippers"');
    });
  });
});

describe('newsletter render', () => {
  it('prints the finished HTML of a week, or its text part', async () => {
    const html = await runCli(['render', '1', '--email', 'ann@example.org', '--name', 'Ann'], repoRoot);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/i);
    expect(html.stdout).toContain('Hi Ann,');
    const text = await runCli(['render', 'what-happens-in-your-calf', '--text'], repoRoot);
    expect(text.stdout).toMatch(/^Night Cramp Weekly · Week 1/);
    expect(text.stdout).toContain('Unsubscribe: http://localhost:3000/unsubscribe?token=');
  });

  it('renders system emails by name', async () => {
    const run = await runCli(['render', 'confirm', '--text'], repoRoot);
    expect(run.stdout).toContain('http://localhost:3000/confirm?token=');
  });

  it('exits 2 with usage for an unknown tip or a missing argument', async () => {
    const unknown = await runCli(['render', '99'], repoRoot);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no tip "99"; known: 1 \(what-happens-in-your-calf\)/);
    expect(unknown.stderr).toContain('Usage: newsletter render');
    expect((await runCli(['render'], repoRoot)).code).toBe(2);
    expect((await runCli(['render', '1', '--bogus'], repoRoot)).code).toBe(2);
    expect((await runCli(['render', '1', '--all'], repoRoot)).code).toBe(2);
  });

  it('--all writes every email, HTML and text, in one run', async () => {
    const tp = await tempProject();
    try {
      const run = await runCli(['render', '--all', '--out', 'emails', '--name', 'Ann'], tp.dir);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe('wrote 15 emails (HTML and text) to emails');
      const files = (await readdir(path.join(tp.dir, 'emails'))).sort();
      expect(files).toHaveLength(30);
      expect(files).toContain('01-what-happens-in-your-calf.html');
      expect(files).toContain('welcome.txt');
      expect(await readFile(path.join(tp.dir, 'emails', '01-what-happens-in-your-calf.html'), 'utf8')).toContain('Hi Ann,');
      expect(await readFile(path.join(tp.dir, 'emails', 'confirm.txt'), 'utf8')).toContain('/confirm?token=');
    } finally {
      await tp.cleanup();
    }
  });
});

describe('newsletter --help and bad configuration', () => {
  it('lists the commands', async () => {
    const run = await runCli(['--help'], repoRoot);
    expect(run.code).toBe(0);
    for (const c of ['start', 'check', 'render', 'new']) expect(run.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('stops on a bad variable with one line naming it, the problem and an example, never the secret', async () => {
    const pool = await runCli(['check'], repoRoot, { NEWSLETTER_SMTP_POOL: 'lots' });
    expect(pool.code).toBe(1);
    expect(pool.stderr).toBe('NEWSLETTER_SMTP_POOL: must be a whole number from 1 to 50 (got "lots"); e.g. NEWSLETTER_SMTP_POOL=5');
    const smtp = await runCli(['check'], repoRoot, { NEWSLETTER_SMTP_URL: 'http://user:hunter2@mail' });
    expect(smtp.stderr).toMatch(/^NEWSLETTER_SMTP_URL: must be smtp:\/\//);
    expect(smtp.stderr).not.toContain('hunter2');
    const secret = await runCli(['check'], repoRoot, { NEWSLETTER_SECRET: 'short-and-secret' });
    expect(secret.stderr).toMatch(/^NEWSLETTER_SECRET: must be at least 32 bytes/);
    expect(secret.stderr).not.toContain('short-and-secret');
    const prod = await runCli(['check'], repoRoot, { NODE_ENV: 'production', NEWSLETTER_SECRET: '' });
    expect(prod.stderr).toMatch(/^NEWSLETTER_SECRET: is required when NODE_ENV=production/);
    const zone = await runCli(['check'], repoRoot, { NEWSLETTER_TIMEZONE: 'Mars/Olympus' });
    expect(zone.stderr).toBe('NEWSLETTER_TIMEZONE: must be an IANA time zone (got "Mars/Olympus"); e.g. NEWSLETTER_TIMEZONE=Europe/London');
  });
});
