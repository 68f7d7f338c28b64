import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { verifyToken } from '../../src/subscription/tokens.ts';
import { runCli } from '../support/run-cli.ts';
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
