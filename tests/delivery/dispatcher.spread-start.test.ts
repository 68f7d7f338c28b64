import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mailer, OutgoingMessage } from '../../src/mailer/mailer.ts';
import { loadProject, type Project } from '../../src/render/project.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { insertSubscribers, openTestDatabase, pass } from './helpers.ts';

const T = Date.UTC(2026, 2, 1, 19);
const MINUTE = 60_000;

/** Records who it was asked to send to, in order. */
function recordingMailer(): Mailer & { to: string[] } {
  const to: string[] = [];
  return {
    to,
    concurrency: 1,
    describe: () => 'recorder',
    close: async () => {},
    send: async (m: OutgoingMessage) => (to.push(m.to), { response: '250 ok' }),
  };
}

describe('a pass that starts part-way down the due list (other senders at work)', () => {
  let tp: TempProject;
  let project: Project;
  beforeAll(async () => {
    tp = await tempProject();
    project = await loadProject(tp.config);
  });
  afterAll(() => tp.cleanup());

  it('begins at that point, wraps round to the start, and reaches every due reader once', async () => {
    const db = await openTestDatabase(tp.config);
    try {
      // Due at distinct minutes, so the due order is the address order.
      const emails = Array.from({ length: 25 }, (_, i) => `r${String(i).padStart(2, '0')}@example.org`);
      await insertSubscribers(
        db,
        emails.map((email, i) => ({ email, nextSendAt: T - (25 - i) * MINUTE })),
      );
      const mailer = recordingMailer();
      const summary = await pass(db, mailer, project, tp.config, T, { batchSize: 4, startAt: 0.6 });
      expect(summary.sent).toBe(25);
      expect(summary.skipped).toBe(0);
      // The walk starts after the reader at 60 % (r15), runs to the end, then takes the rest from the start.
      expect(mailer.to).toEqual([...emails.slice(16), ...emails.slice(0, 16)]);
    } finally {
      await db.destroy();
    }
  });
});
