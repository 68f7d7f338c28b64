import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientSupport } from '../../src/render/client-support.ts';
import { checkEmail, checkEmailSet, readingTime, READING_WARN_MINUTES } from '../../src/render/email-checks.ts';
import { runCli } from '../support/run-cli.ts';
import { useTempProject } from '../support/use-resource.ts';

const BASE = 'http://localhost:3000';

/** A small email in the shape MJML makes: a <style> block and a layout table. */
function email(body: string, extraCss = '') {
  const html = `<!doctype html><html lang="en"><head><title>T</title><style>@media only screen and (max-width:480px){.col{width:100%!important}}${extraCss}</style></head>
<body><table role="presentation" width="600"><tr><td class="col">${body}</td></tr></table></body></html>`;
  return {
    subject: 'A subject that is fine',
    preheader: 'A preheader of a good length for the inbox preview line.',
    html,
    text: body.replace(/<[^>]+>/g, ' '),
  };
}

describe('client support (caniemail data through @jsx-email/doiuse-email)', () => {
  it('finds @media unsupported in Outlook for Windows and names the apps', () => {
    const support = clientSupport(email('<p>Hello</p>').html);
    const media = support.features.find((f) => f.feature === '@media');
    expect(media).toBeDefined();
    expect(media!.clients.outlook.level).toBe('no');
    expect(media!.clients.outlook.no).toContain('Windows');
    expect(media!.clients['apple-mail'].level).toBe('yes');
  });

  it('reports what one email adds against its own file, and what all share once against the layout', () => {
    const plain = email('<p>Plain tip.</p>');
    const fancy = email('<p style="opacity:0.5">Faded tip.</p>');
    const report = checkEmailSet(
      [
        { email: plain, file: 'content/tips/01-plain.md', label: 'week 1' },
        { email: fancy, file: 'content/tips/02-fancy.md', label: 'week 2' },
      ],
      { baseUrl: BASE, layoutFile: 'templates/layout.mjml.hbs' },
    );
    expect(report.shared.has('@media')).toBe(true);
    expect(report.shared.has('opacity')).toBe(false);
    const added = report.perEmail[1]!.filter((p) => p.check === 'client-support');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ severity: 'info', file: 'content/tips/02-fancy.md' });
    expect(added[0]!.message).toMatch(/^week 2: `opacity` is not supported by .*Outlook \(Windows/);
    expect(report.perEmail[0]!.filter((p) => p.check === 'client-support')).toEqual([]);
    const outlook = report.sharedProblems.find((p) => p.message.includes('Outlook'));
    expect(outlook).toMatchObject({ severity: 'info', check: 'client-support', file: 'templates/layout.mjml.hbs' });
    expect(outlook!.message).toContain('`@media`');
  });
});

describe('reading time', () => {
  it('counts the words a reader reads, skipping addresses', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    expect(readingTime(`${words}\nhttps://www.nhs.uk/conditions/leg-cramps/ mailto:tips@example.org`)).toEqual({
      words: 400,
      minutes: 2,
    });
    expect(readingTime('Hi.')).toEqual({ words: 1, minutes: 1 });
  });

  it('is an info finding, and a warning when the email is long for a bedtime read', () => {
    const short = checkEmail(email('<p>Short and sweet.</p>'), {
      baseUrl: BASE,
      file: 'content/tips/01-a.md',
      label: 'week 1',
    });
    expect(short.find((p) => p.check === 'reading-time')).toMatchObject({
      severity: 'info',
      message: 'week 1: reading time about 1 minute (3 words)',
      file: 'content/tips/01-a.md',
    });
    const long = 'sleep '.repeat((READING_WARN_MINUTES + 1) * 200);
    const found = checkEmail(email(`<p>${long}</p>`), { baseUrl: BASE }).find((p) => p.check === 'reading-time');
    expect(found?.severity).toBe('warning');
    expect(found?.message).toMatch(/reading time about 6 minutes .*keep it under 5 minutes/);
  });
});

describe('newsletter check runs the same checks', () => {
  const project = useTempProject();

  it('prints reading time per email and client support, and stays clean for the shipped content', async () => {
    const run = await runCli(['check', '--verbose'], project.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^content\/tips\/03-stop-it-in-its-tracks\.md: info: week 3: reading time about \d+ minutes? \(\d+ words\)$/m,
    );
    expect(run.stdout).toMatch(
      /^templates\/layout\.mjml\.hbs: info: every email's layout uses \d+ features that some Outlook apps do not support \(caniemail/m,
    );
    expect(run.stdout).toMatch(/0 errors, 0 warnings; links use http:\/\/localhost:3000$/);
  }, 120_000); // The first check in this process: MJML loads and all fifteen emails compile.

  it('names a feature a tip adds and the clients that lack it, against the tip file', async () => {
    const file = path.join(project.dir, 'content/tips/03-stop-it-in-its-tracks.md');
    const original = await readFile(file, 'utf8');
    // A fenced code block is Markdown an editor may use; it renders with white-space:pre-wrap.
    await writeFile(file, original.replace('## Move 1', '```\nsit, straighten, pull\n```\n\n## Move 1'));
    try {
      const run = await runCli(['check', '--verbose'], project.dir);
      expect(run.stdout).toMatch(
        /^content\/tips\/03-stop-it-in-its-tracks\.md: info: week 3: `white-space` is not supported by .+\(caniemail\)$/m,
      );
      // Only week 3 uses it, so no other email is blamed.
      expect(run.stdout.split('\n').filter((l) => l.includes('`white-space`'))).toHaveLength(1);
    } finally {
      await writeFile(file, original);
    }
  });
});
