import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { verifyToken } from '../../src/subscription/tokens.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject } from '../support/temp-project.ts';
import { useTempProject } from '../support/use-resource.ts';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';

describe('newsletter render --email', () => {
  const tp = useTempProject();

  it('renders for the stored subscriber: their name, and links that work for them', async () => {
    const added = await runCli(['subscribers', 'add', 'Ann@Example.org', '--name', 'Ann', '--confirmed'], tp.dir);
    expect(added.code).toBe(0);
    const db = openStore(tp.config.database);
    const { public_id } = await db.selectFrom('subscribers').select('public_id').executeTakeFirstOrThrow();
    await db.destroy();

    const run = await runCli(['render', '2', '--text', '--email', 'ann@example.org'], tp.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Hi Ann,');
    const token = /unsubscribe\?token=(\S+)/.exec(run.stdout)![1]!;
    expect(verifyToken(SECRET, decodeURIComponent(token), 'unsubscribe', new Date())).toMatchObject({
      ok: true,
      subject: public_id,
    });

    const stranger = await runCli(['render', '2', '--text', '--email', 'nobody@example.org'], tp.dir);
    expect(stranger.stdout).toContain('Hi there,');
    const other = /unsubscribe\?token=(\S+)/.exec(stranger.stdout)![1]!;
    expect(verifyToken(SECRET, decodeURIComponent(other), 'unsubscribe', new Date())).not.toMatchObject({
      subject: public_id,
    });
  });
});

describe('newsletter render', () => {
  const project = useTempProject();

  it('prints the finished HTML of a week, or its text part', async () => {
    const html = await runCli(['render', '1', '--email', 'ann@example.org', '--name', 'Ann'], project.dir);
    expect(html.code).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/i);
    expect(html.stdout).toContain('Hi Ann,');
    const text = await runCli(['render', 'what-happens-in-your-calf', '--text'], project.dir);
    expect(text.stdout).toMatch(/^Night Cramp Weekly · Week 1/);
    expect(text.stdout).toContain('Unsubscribe:\nhttp://localhost:3000/unsubscribe?token=');
  });

  it('renders system emails by name', async () => {
    const run = await runCli(['render', 'confirm', '--text'], project.dir);
    expect(run.stdout).toContain('http://localhost:3000/confirm?token=');
  });

  it('exits 2 with usage for an unknown tip or a missing argument', async () => {
    const unknown = await runCli(['render', '99'], project.dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no tip "99"; known: 1 \(what-happens-in-your-calf\)/);
    expect(unknown.stderr).toContain('Usage: newsletter render');
    expect((await runCli(['render'], project.dir)).code).toBe(2);
    expect((await runCli(['render', '1', '--bogus'], project.dir)).code).toBe(2);
    expect((await runCli(['render', '1', '--all'], project.dir)).code).toBe(2);
  });

  it('--all writes every email, HTML and text, in one run', async () => {
    const tp = await tempProject();
    try {
      const run = await runCli(['render', '--all', '--out', 'emails', '--name', 'Ann'], tp.dir);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe('wrote 15 emails (HTML and text) to emails; links use http://localhost:3000');
      const files = (await readdir(path.join(tp.dir, 'emails'))).sort();
      expect(files).toHaveLength(30);
      expect(files).toContain('01-what-happens-in-your-calf.html');
      expect(files).toContain('welcome.txt');
      expect(await readFile(path.join(tp.dir, 'emails', '01-what-happens-in-your-calf.html'), 'utf8')).toContain(
        'Hi Ann,',
      );
      expect(await readFile(path.join(tp.dir, 'emails', 'confirm.txt'), 'utf8')).toContain('/confirm?token=');
    } finally {
      await tp.cleanup();
    }
  });
});
