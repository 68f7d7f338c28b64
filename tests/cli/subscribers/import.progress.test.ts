import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../../src/cli/command.ts';
import { main } from '../../../src/cli/main.ts';
import { tempProject, type TempProject } from '../../support/temp-project.ts';

const NOW = new Date('2026-03-02T10:00:00Z');

/** The CLI in-process, with stderr a terminal (`progress`) or not. */
async function run(dir: string, args: string[], tty: boolean) {
  const out: string[] = [];
  const err: string[] = [];
  const drawn: string[] = [];
  const io: Io = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    ...(tty ? { progress: (t: string) => drawn.push(t) } : {}),
    env: { NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!' },
    cwd: dir,
    now: () => NOW,
    isTty: false,
  };
  const code = await main(args, io);
  return { code, out, err, drawn };
}

describe('subscribers import shows progress on a terminal, and only there', () => {
  let temp: TempProject;
  beforeAll(async () => {
    temp = await tempProject();
    const lines = ['email,name'];
    for (let i = 0; i < 2500; i++) lines.push(i === 1700 ? 'broken,Bad' : `p${i}@example.org,P${i}`);
    await writeFile(path.join(temp.dir, 'big.csv'), `${lines.join('\n')}\n`);
  });
  afterAll(() => temp.cleanup());

  it('redraws one line per batch on stderr, wipes it before a problem line and at the end; stdout keeps only the summary', async () => {
    const r = await run(temp.dir, ['subscribers', 'import', 'big.csv', '--dry-run'], true);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      'would import 2499, skipped 0 existing, skipped 0 suppressed, rejected 1 (2500 data lines); dry run: nothing written; links use http://localhost:3000',
    ]);
    const frames = r.drawn.filter((t) => t.startsWith('\r') && t.includes('lines read'));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames[frames.length - 1]).toBe('\r2,500 lines read: 2,499 to import, 0 skipped, 1 rejected');
    expect(r.drawn[r.drawn.length - 1]).toBe('\r\u001b[K');
    expect(r.err).toEqual([
      'big.csv:1702: broken: That does not look like an email address. Check it reads like name@example.org.',
    ]);
  });

  it('draws nothing when stderr is not a terminal', async () => {
    const r = await run(temp.dir, ['subscribers', 'import', 'big.csv', '--dry-run'], false);
    expect(r.drawn).toEqual([]);
    expect(r.err).toHaveLength(1);
  });
});
