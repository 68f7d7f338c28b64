import { Worker } from 'node:worker_threads';
import { toNodemailer } from './headers.ts';
import { SendError, type Mailer, type OutgoingMessage, type SendResult } from './mailer.ts';
import {
  classifySmtpError,
  describeSmtp,
  rejectedRecipients,
  smtpTransportOptions,
  type SmtpOptions,
} from './smtp-options.ts';

interface Answer {
  id: number;
  response?: string;
  rejected?: number;
  error?: { responseCode?: number; code?: string; response?: string; message: string; command?: string };
}

/**
 * The SMTP pool in a worker thread. Even with the bodies encoded in advance, building each MIME
 * message and writing it out (dot-stuffing, the socket) is most of a pass's CPU; in its own thread
 * that runs beside the dispatcher's database and render work instead of after it. Measured on two
 * cores (`npx tsx bench/dispatch.ts 5000 --baseline`): about 1,100 messages/s here, 860 in the
 * dispatcher's thread. Failures are classified by smtp-options.ts, as the worker reports them.
 */
export function createThreadedSmtpMailer(
  options: SmtpOptions,
  hooks: { threadStarted?(thread: Worker): void } = {},
): Mailer {
  const waiting = new Map<number, { resolve(r: SendResult): void; reject(e: SendError): void }>();
  let nextId = 0;
  let worker: Worker | undefined;
  let closing = false;

  const failAll = (error: SendError) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };

  /**
   * The thread, started on first use and again after one failed: a long-running `start` keeps
   * sending after a thread crash (its messages in flight fail as 'unavailable' and are retried).
   */
  function thread(): Worker {
    if (worker) return worker;
    const w = new Worker(new URL('./smtp-worker.js', import.meta.url), {
      workerData: smtpTransportOptions(options),
      // Each message is short-lived garbage. An 8 MB young generation collects it early (4 MB
      // cost a tenth of the thread's time in scavenges). Its live data is a few messages in
      // flight (an email is at most 100 KB), so the old generation's ceiling is far above need and
      // only stops the heap drifting up over a long pass (33 MB of old space over 10,000 messages
      // without a ceiling).
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 48 },
    });
    // An idle pool must not keep the process alive; a pending send keeps it referenced.
    w.unref();
    w.on('message', (answer: Answer) => {
      const pending = waiting.get(answer.id);
      if (!pending) return;
      waiting.delete(answer.id);
      if (waiting.size === 0) w.unref();
      if (answer.error) pending.reject(classifySmtpError(Object.assign(new Error(answer.error.message), answer.error)));
      else if (answer.rejected) pending.reject(rejectedRecipients(answer.response ?? ''));
      else pending.resolve({ response: answer.response ?? 'sent' });
    });
    const lost = (why: string) => {
      if (worker !== w) return;
      worker = undefined;
      failAll(new SendError('unavailable', why));
    };
    w.on('error', (e) => lost(`the SMTP thread failed: ${e.message}`));
    w.on('exit', () => lost('the SMTP thread has stopped'));
    worker = w;
    hooks.threadStarted?.(w);
    return w;
  }

  return {
    concurrency: options.pool,
    describe: () => describeSmtp(options),
    send(message: OutgoingMessage) {
      if (closing) return Promise.reject(new SendError('unavailable', 'the mailer is closed'));
      const w = thread();
      const id = nextId++;
      return new Promise<SendResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, mail: toNodemailer(message) });
      });
    },
    async close() {
      closing = true;
      const w = worker;
      if (!w) return;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      // Held until the thread has closed its connections and gone.
      w.ref();
      w.postMessage({ close: true });
      await exited;
    },
  };
}
