import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { SendError, type OutgoingMessage } from '../../src/mailer/mailer.ts';
import { createThreadedSmtpMailer } from '../../src/mailer/threaded-smtp-mailer.ts';
import { useSmtpSink } from '../support/use-resource.ts';

const message = (to: string, n: number): OutgoingMessage => ({
  to,
  toName: 'Reader <x>',
  from: 'Night Cramp Weekly <tips@night-cramp-weekly.example>',
  subject: `Tip ${n}`,
  html: `<p>Hello ${n}</p>`,
  text: `Hello ${n}`,
  messageId: `<ncw.test.${n}@night-cramp-weekly.example>`,
  unsubscribeUrl: `https://news.example.org/unsubscribe?token=t${n}`,
  listId: 'Night Cramp Weekly <night-cramp-weekly.night-cramp-weekly.example>',
});

describe('the SMTP pool in a worker thread', () => {
  const sink = useSmtpSink();

  it('delivers in parallel with every header, and classifies failures like the in-thread pool', async () => {
    sink.setRule((to) =>
      to.startsWith('later')
        ? { code: 451, message: 'try later' }
        : to.startsWith('gone')
          ? { code: 550, message: 'no such user' }
          : undefined,
    );
    const mailer = createThreadedSmtpMailer({ url: sink.url, pool: 3 });
    expect(mailer.concurrency).toBe(3);
    const results = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) => mailer.send(message(`reader${i}@example.org`, i))),
      mailer.send(message('later@example.org', 100)),
      mailer.send(message('gone@example.org', 101)),
    ]);
    await mailer.close();
    expect(results.slice(0, 20).every((r) => r.status === 'fulfilled' && /^250/.test(r.value.response))).toBe(true);
    const later = results[20] as PromiseRejectedResult;
    const gone = results[21] as PromiseRejectedResult;
    expect(later.reason).toBeInstanceOf(SendError);
    expect(later.reason).toMatchObject({ kind: 'temporary' });
    expect((later.reason as SendError).response).toMatch(/451/);
    expect(gone.reason).toMatchObject({ kind: 'permanent' });
    expect(sink.received).toHaveLength(20);
    const first = sink.received.find((m) => m.envelopeTo[0] === 'reader0@example.org')!;
    expect(first.parsed.messageId).toBe('<ncw.test.0@night-cramp-weekly.example>');
    expect(first.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(first.raw).toMatch(/^List-Unsubscribe: <https:\/\/news\.example\.org\/unsubscribe\?token=t0>/m);
  });

  it('says the server is unavailable when nothing listens', async () => {
    const mailer = createThreadedSmtpMailer({ url: 'smtp://127.0.0.1:1', pool: 1, timeoutMs: 2000 });
    const error = await mailer.send(message('reader@example.org', 1)).catch((e: unknown) => e);
    await mailer.close();
    expect(error).toMatchObject({ kind: 'unavailable' });
  });

  it('starts a new thread after its thread died, so a long-running process keeps sending', async () => {
    sink.setRule(() => undefined);
    const threads: Worker[] = [];
    const mailer = createThreadedSmtpMailer({ url: sink.url, pool: 1 }, { threadStarted: (t) => threads.push(t) });
    expect(await mailer.send(message('before@example.org', 199))).toMatchObject({
      response: expect.stringMatching(/^250/),
    });
    // The thread dies with a message in flight, as after a crash in it.
    const lost = mailer.send(message('lost@example.org', 200)).catch((e: unknown) => e);
    await threads[0]!.terminate();
    expect(await lost).toMatchObject({ kind: 'unavailable' });
    const after = await mailer.send(message('after@example.org', 201));
    await mailer.close();
    expect(after.response).toMatch(/^250/);
    expect(threads).toHaveLength(2);
    expect(sink.received.some((m) => m.envelopeTo[0] === 'after@example.org')).toBe(true);
  });
});
