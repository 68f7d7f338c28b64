import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempProject } from '../support/temp-project.ts';
import { useTempProject } from '../support/use-resource.ts';
import { runCli } from '../support/run-cli.ts';

const exec = promisify(execFile);
/**
 * The first check in a process loads MJML and compiles and checks all fifteen emails: seconds of
 * CPU, which a busy shared machine stretches past the default timeout. Never asserted on.
 */
const COLD_CHECK = 120_000;

describe('newsletter check', () => {
  it(
    'passes on the shipped series (run as the installed command)',
    async () => {
      const project = await tempProject();
      try {
        const { stdout } = await exec(process.execPath, [path.join(repoRoot, 'bin/newsletter.js'), 'check'], {
          cwd: project.dir,
          env: { ...process.env, NEWSLETTER_SECRET: '' },
        });
        expect(stdout).toMatch(/✓ 12 tips and 3 system emails rendered; 0 errors/);
      } finally {
        await project.cleanup();
      }
    },
    COLD_CHECK,
  );

  describe('on a temporary copy', () => {
    const project = useTempProject({}, { each: true });

    it(
      'exits 1 with path:line: message for each broken file',
      async () => {
        const tip = path.join(project.dir, 'content/tips/03-stop-it-in-its-tracks.md');
        const text = await readFile(tip, 'utf8');
        await writeFile(tip, text.replace(/^week: 3$/m, 'week: three'));
        await writeFile(
          path.join(project.dir, 'content/tips/13-extra.md'),
          '---\ntitle: Extra\nweek: 13\n---\nBody.\n',
        );
        const run = await runCli(['check'], project.dir);
        expect(run.code).toBe(1);
        expect(run.stdout).toContain(
          'content/tips/03-stop-it-in-its-tracks.md:3: week must be a positive integer (got "three")',
        );
        expect(run.stdout).toContain(
          'content/tips/13-extra.md:2: sources must list at least one source as {title, url}',
        );
        expect(run.stdout).toMatch(/2 errors/);
      },
      COLD_CHECK,
    );

    it('fails a tip whose email goes over 100 KB', async () => {
      const paragraph = 'Stretch your calf gently and breathe slowly while you hold it. '.repeat(40);
      const body = Array.from({ length: 50 }, () => paragraph).join('\n\n');
      await writeFile(
        path.join(project.dir, 'content/tips/13-too-long.md'),
        `---\ntitle: Too long\nweek: 13\nsources:\n  - {title: NHS, url: "https://www.nhs.uk/conditions/leg-cramps/"}\n---\n${body}\n`,
      );
      const run = await runCli(['check'], project.dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(
        /^content\/tips\/13-too-long\.md: week 13: HTML is \d+\.\d KB, over the 100\.0 KB limit \(Gmail clips near 102 KB\): shorten the tip$/m,
      );
    });

    it('reports a broken template at its file and line', async () => {
      const file = path.join(project.dir, 'templates/partials/header.mjml.hbs');
      await writeFile(file, (await readFile(file, 'utf8')).replace('<mj-column>', '<mj-column bogus="1">'));
      const run = await runCli(['check'], project.dir);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'templates/partials/header.mjml.hbs:2: MJML: <mj-column> Attribute bogus is illegal',
      );
    });

    it('`new` writes a draft with the next free week that check accepts', async () => {
      const made = await runCli(
        ['new', 'Socks, sheets & slippers!'],
        project.dir,
        {},
        new Date('2026-12-01T10:00:00Z'),
      );
      expect(made.code).toBe(0);
      expect(made.stdout).toBe('content/tips/13-socks-sheets-slippers.md');
      const text = await readFile(path.join(project.dir, made.stdout), 'utf8');
      expect(text).toMatch(/^title: "Socks, sheets & slippers!"$/m);
      expect(text).toMatch(/^week: 13$/m);
      expect(text).toMatch(/^draft: true$/m);
      // Left for the editor: a published tip needs the date someone really checked it.
      expect(text).toMatch(/^reviewed:$/m);
      const check = await runCli(['check'], project.dir);
      expect(check.stdout).toMatch(/✓ 13 tips/);
      expect(check.code).toBe(0);
      // A draft gets the writing rules as warnings: what is left to do.
      expect(check.stdout).toContain(
        'content/tips/13-socks-sheets-slippers.md:14: warning: reviewed is required to publish: check the tip against its sources, then run `newsletter review 13-socks-sheets-slippers` (it writes the date and binds it to this text)',
      );
      const again = await runCli(['new', 'Socks sheets slippers'], project.dir);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('already has the slug "socks-sheets-slippers"');
    });

    it('`new`, then delete only `draft: true`: check fails on every placeholder until the tip is written', async () => {
      const made = await runCli(['new', 'Warm socks at night'], project.dir);
      const file = path.join(project.dir, made.stdout);
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^draft: true\n/m, ''));
      const run = await runCli(['check'], project.dir);
      expect(run.code).toBe(1);
      const f = 'content/tips/13-warm-socks-at-night.md';
      const placeholder = (where: string, marker: string) =>
        `${where} still holds the placeholder text from \`newsletter new\` ("${marker}"): replace it with your own before publishing`;
      const lines = run.stdout.split('\n').filter((l) => l.startsWith(f));
      expect(lines).toEqual([
        `${f}:5: ${placeholder('preheader', 'One line for the inbox preview')}`,
        `${f}:6: ${placeholder('tonight', 'One concrete thing to try tonight, in one or two')}`,
        `${f}:9: ${placeholder('sources[0].title', 'Replace with the name of your source')}`,
        `${f}:10: ${placeholder('sources[0].url', 'https://www.example.org/replace-with-the-page-you-used')}`,
        `${f}:13: reviewed is required to publish: check the tip against its sources, then run \`newsletter review 13-warm-socks-at-night\` (it writes the date and binds it to this text)`,
        `${f}:19: ${placeholder('the body', 'Write the tip here')}`,
        `${f}:19: the body has 51 words; a published tip has 250 to 450: write more`,
        `${f}:21: ${placeholder('the body', 'A sub-heading')}`,
        `${f}:23: ${placeholder('the body', 'where the evidence is weak, and never suggest stopping')}`,
        `${f}:27: ${placeholder('the body', 'A safety warning, if the tip needs one')}`,
      ]);
      expect(run.stdout).toMatch(/10 errors/);
    });

    it('--production fails the placeholder postal address and sender and a non-https base URL, saying what to set', async () => {
      const run = await runCli(['check', '--production'], project.dir);
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n').slice(0, 3)).toEqual([
        'NEWSLETTER_BASE_URL is http://localhost:3000: production needs https (RFC 8058 one-click unsubscribe and every link in the emails): set NEWSLETTER_BASE_URL=https://your-domain.org',
        'content/series.yml:8: from.address tips@night-cramp-weekly.example is on a reserved example domain no mail server accepts: set the real sender here or NEWSLETTER_FROM="Night Cramp Weekly <tips@your-domain.org>"',
        'content/series.yml:10: postalAddress is still the placeholder ("Night Cramp Weekly, 1 Example Lane, Springfield, EX1 2MP"): set the real postal address readers can write to (anti-spam laws require one in every email)',
      ]);
      expect(run.stdout).toMatch(/3 errors/);
      // NODE_ENV=production turns the same gates on; a sender from the environment is checked too.
      const env = await runCli(['check'], project.dir, {
        NODE_ENV: 'production',
        NEWSLETTER_FROM: 'Tips <tips@example.com>',
        NEWSLETTER_BASE_URL: 'https://nightcramp.org',
      });
      expect(env.code).toBe(1);
      expect(env.stdout).toContain(
        'NEWSLETTER_FROM uses tips@example.com, a reserved example domain no mail server accepts: set NEWSLETTER_FROM="Night Cramp Weekly <tips@your-domain.org>"',
      );
      expect(env.stdout).toMatch(/2 errors/);
    });

    it('the shipped content passes --production once the operator sets a postal address, a sender and an https base URL', async () => {
      // The two placeholders the operator must set: the postal address (edited into this temp
      // copy of series.yml) and the sender (NEWSLETTER_FROM); plus an https NEWSLETTER_BASE_URL.
      const seriesFile = path.join(project.dir, 'content/series.yml');
      const series = await readFile(seriesFile, 'utf8');
      await writeFile(
        seriesFile,
        series.replace(
          /^postalAddress: .*$/m,
          'postalAddress: Night Cramp Weekly, PO Box 4471, Portland, OR 97208, USA',
        ),
      );
      const run = await runCli(['check', '--production'], project.dir, {
        NEWSLETTER_FROM: 'Night Cramp Weekly <tips@nightcrampweekly.org>',
        NEWSLETTER_BASE_URL: 'https://nightcrampweekly.org',
      });
      expect(run.stdout).toMatch(/✓ 12 tips and 3 system emails rendered; 0 errors, 0 warnings/);
      expect(run.code).toBe(0);
    });
  });
});
