import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { outboxName, createOutboxMailer } from '../../src/mailer/outbox-mailer.ts';
import { useTempProject } from '../support/use-resource.ts';

describe('outbox file names', () => {
  const tp = useTempProject();

  it("keep the Message-ID's local part and cut long ones between words, never inside one", async () => {
    expect(outboxName('<ncw.welcome.abc@night-cramp-weekly.example>')).toBe('ncw.welcome.abc');
    const long = `<ncw.tip.${'a'.repeat(60)}.stop-it-in-its-tracks.cycle-0@night-cramp-weekly.example>`;
    const name = outboxName(long);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toBe(`ncw.tip.${'a'.repeat(60)}.stop-it-in`);
    expect(`${long.slice(1)}`.startsWith(name)).toBe(true);
    expect(long.slice(1 + name.length, 2 + name.length)).toMatch(/[._-]/);

    const mailer = createOutboxMailer(tp.config.outboxDir, () => new Date('2026-11-29T12:00:00Z'));
    await mailer.send({
      to: 'a@example.org',
      toName: null,
      from: 'N <n@night-cramp-weekly.example>',
      subject: 'S',
      html: '<p>x</p>',
      text: 'x',
      messageId: '<ncw.confirm.KpAhCnm3d_GjdXUeE_aPTw.1795956560998@night-cramp-weekly.example>',
    });
    expect(await readdir(tp.config.outboxDir)).toEqual([
      '2026-11-29T12-00-00-000Z-000-ncw.confirm.KpAhCnm3d_GjdXUeE_aPTw.1795956560998.eml',
    ]);
  });
});
