import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { useTempProject } from '../support/use-resource.ts';

describe('newsletter --help and bad configuration', () => {
  const project = useTempProject();

  it('lists the commands', async () => {
    const run = await runCli(['--help'], project.dir);
    expect(run.code).toBe(0);
    for (const c of ['start', 'check', 'render', 'new']) expect(run.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
  });

  it('stops on a bad variable with one line naming it, the problem and an example, never the secret', async () => {
    const pool = await runCli(['check'], project.dir, { NEWSLETTER_SMTP_POOL: 'lots' });
    expect(pool.code).toBe(1);
    expect(pool.stderr).toBe(
      'NEWSLETTER_SMTP_POOL: must be a whole number from 1 to 50 (got "lots"); e.g. NEWSLETTER_SMTP_POOL=5',
    );
    const smtp = await runCli(['check'], project.dir, { NEWSLETTER_SMTP_URL: 'http://user:hunter2@mail' });
    expect(smtp.stderr).toMatch(/^NEWSLETTER_SMTP_URL: must be smtp:\/\//);
    expect(smtp.stderr).not.toContain('hunter2');
    const secret = await runCli(['check'], project.dir, { NEWSLETTER_SECRET: 'short-and-secret' });
    expect(secret.stderr).toMatch(/^NEWSLETTER_SECRET: must be at least 32 bytes/);
    expect(secret.stderr).not.toContain('short-and-secret');
    const prod = await runCli(['check'], project.dir, { NODE_ENV: 'production', NEWSLETTER_SECRET: '' });
    expect(prod.stderr).toMatch(/^NEWSLETTER_SECRET: is required when NODE_ENV=production/);
    const zone = await runCli(['check'], project.dir, { NEWSLETTER_TIMEZONE: 'Mars/Olympus' });
    expect(zone.stderr).toBe(
      'NEWSLETTER_TIMEZONE: must be an IANA time zone (got "Mars/Olympus"); e.g. NEWSLETTER_TIMEZONE=Europe/London',
    );
  });
});
