import { describe, expect, it } from 'vitest';
import { rawMessage } from '../../src/mailer/raw-message.ts';
import { parseReports, scoreMessages } from '../../src/check/spam.ts';
import { runCli } from '../support/run-cli.ts';
import { spamAssassinBin } from '../support/spamassassin.ts';
import { useTempProject } from '../support/use-resource.ts';

const bin = spamAssassinBin();

describe.skipIf(!bin)('`newsletter check --spam` with Debian’s SpamAssassin', () => {
  const project = useTempProject();

  it('scores every tip and system email, as sent, 0.0 and prints each score with its rules', async () => {
    // An https site, as in production (a port in a link is a rule of its own, WEIRD_PORT).
    const run = await runCli(['check', '--spam'], project.dir, {
      NEWSLETTER_BASE_URL: 'https://night-cramp-weekly.example',
    });
    const lines = run.stdout.split('\n').filter((l) => /^[✓✗] spam /.test(l));
    expect(lines.length, run.stdout + run.stderr).toBeGreaterThan(0);
    // The twelve shipped tips, then the three system emails: one SpamAssassin run for all.
    expect(lines.map((l) => /^[✓✗] spam -?\d+\.\d ([^(]+?)(?: \(|$)/.exec(l)?.[1])).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `week ${i + 1}`),
      'confirm email',
      'welcome email',
      'goodbye email',
    ]);
    for (const line of lines) expect(line).toMatch(/^✓ spam -?0\.0 /);
    // The rules it matched are shown, even at 0 points.
    expect(lines[0]).toContain('HTML_MESSAGE 0.0');
    expect(run.stdout).not.toContain('HTML_FONT_LOW_CONTRAST');
    expect(run.code).toBe(0);
  }, 300_000);

  it('fails an email with hidden same-colour text (the old preheader), naming the rule', async () => {
    // What MJML's <mj-preview> wrote before: white text on the grey page, hidden.
    const html =
      '<!doctype html><html><body style="background-color:#eef2f6;"><div style="display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0px;max-width:0px;opacity:0;overflow:hidden;">Why a leg muscle can lock up in the night, and why it is usually harmless.</div><div style="background-color:#eef2f6;"><p>Stretch your calf before bed: stand facing a wall, step one foot back and hold for thirty seconds.</p></div></body></html>';
    const raw = await rawMessage({
      to: 'reader@example.com',
      from: '"Night Cramp Weekly" <tips@night-cramp-weekly.example>',
      subject: 'Week 1: what is happening in your calf',
      messageId: '<ncw.test.1@night-cramp-weekly.example>',
      html,
      text: 'Stretch your calf before bed: stand facing a wall, step one foot back and hold for thirty seconds.',
    });
    const [score] = await scoreMessages([{ label: 'old preheader', file: 'templates/layout.mjml.hbs', raw }], bin!);
    expect(score!.score).toBeGreaterThan(0);
    expect(score!.rules.map((r) => r.name)).toContain('HTML_FONT_LOW_CONTRAST');
  }, 120_000);
});

describe('reading SpamAssassin’s report', () => {
  it('takes each block’s score and rules, a long description over two lines', () => {
    const out = [
      'X-Spam-Status: No, score=0.7',
      'ncw-spam-report-begin 0.7',
      '-0.0 NO_RELAYS              Informational: message was not relayed via SMTP',
      ' 0.7 HTML_FONT_LOW_CONTRAST BODY: HTML font color similar or identical to',
      '                            background',
      'ncw-spam-report-end',
      'ncw-spam-report-begin -0.0',
      'ncw-spam-report-end',
    ].join('\n');
    expect(parseReports(out)).toEqual([
      {
        score: 0.7,
        rules: [
          { score: -0, name: 'NO_RELAYS', description: 'Informational: message was not relayed via SMTP' },
          {
            score: 0.7,
            name: 'HTML_FONT_LOW_CONTRAST',
            description: 'BODY: HTML font color similar or identical to background',
          },
        ],
      },
      { score: -0, rules: [] },
    ]);
  });
});
