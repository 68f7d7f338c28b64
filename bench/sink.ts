/**
 * The benchmark's SMTP server: a real smtp-server on loopback that accepts every message, counts
 * it and throws it away. The test sink (tests/support/smtp-sink.ts) keeps every message for the
 * tests to read, which at 100,000 messages would be gigabytes; a mail server does not.
 *
 * Run as its own process (`sinkProcess()`), as a mail server would be, so its CPU and memory
 * are not the pipeline's: it prints its URL, then answers `count` on stdin with the number received.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

const self = fileURLToPath(import.meta.url);

export interface CountingSink {
  url: string;
  count(): Promise<number>;
  /** Messages, repeated Message-IDs, and when the first and last message arrived (epoch ms). */
  stats(): Promise<SinkStats>;
  close(): Promise<void>;
}

export interface SinkStats {
  received: number;
  duplicates: number;
  firstAt: number;
  lastAt: number;
}

export interface SinkOptions {
  /** Milliseconds before answering each message, as a slow server would. */
  delayMs?: number;
}

const MESSAGE_ID = /^Message-ID:[ \t]*(<[^>\r\n]+>)/im;

export async function startCountingSink(options: SinkOptions = {}): Promise<CountingSink> {
  let received = 0;
  let duplicates = 0;
  let firstAt = 0;
  let lastAt = 0;
  // Message-IDs only (tens of bytes each), so a repeat from two senders is counted at no memory cost worth naming.
  const seen = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 16_384) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        received++;
        lastAt = Date.now();
        firstAt ||= lastAt;
        const id = MESSAGE_ID.exec(head.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' '))?.[1];
        if (id !== undefined) {
          if (seen.has(id)) duplicates++;
          else seen.add(id);
        }
        if (options.delayMs) setTimeout(callback, options.delayMs);
        else callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: async () => received,
    stats: async () => ({ received, duplicates, firstAt, lastAt }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The sink in a child process; `close()` ends it. */
export async function sinkProcess(options: SinkOptions = {}): Promise<CountingSink> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', self, ...(options.delayMs ? ['--delay-ms', String(options.delayMs)] : [])],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      if (lines.length) return resolve(lines.shift()!);
      waiters.push(resolve);
      void exited.then(() => reject(new Error('the benchmark SMTP sink exited')));
    });
  const url = await nextLine();
  return {
    url,
    async count() {
      child.stdin!.write('count\n');
      return Number(await nextLine());
    },
    async stats() {
      child.stdin!.write('stats\n');
      return JSON.parse(await nextLine()) as SinkStats;
    },
    async close() {
      child.stdin!.end();
      child.kill();
      await exited;
    },
  };
}

if (process.argv[1] === self) {
  const delay = process.argv.indexOf('--delay-ms');
  const sink = await startCountingSink(delay > 0 ? { delayMs: Number(process.argv[delay + 1]) } : {});
  process.stdout.write(`${sink.url}\n`);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', async (d: string) => {
    for (const cmd of d.split('\n').filter(Boolean)) {
      if (cmd === 'count') process.stdout.write(`${await sink.count()}\n`);
      if (cmd === 'stats') process.stdout.write(`${JSON.stringify(await sink.stats())}\n`);
    }
  });
  // The parent went away: so does the sink.
  process.stdin.on('end', () => void sink.close().then(() => process.exit(0)));
}
