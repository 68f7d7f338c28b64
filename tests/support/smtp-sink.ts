import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** What the sink does with one recipient: accept, or answer with an SMTP error code. */
export type RecipientRule = (address: string) => { code: number; message: string } | undefined;

export interface ReceivedMail {
  envelopeTo: string[];
  /** MAIL FROM: the return path bounces go to. */
  envelopeFrom: string;
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  url: string;
  port: number;
  received: ReceivedMail[];
  /** Answer some recipients with an error (451, 550 ...). */
  setRule(rule: RecipientRule | undefined): void;
  /** Answer MAIL FROM with an error (a server refusing the sender), or accept again with undefined. */
  setSenderRule(answer: { code: number; message: string } | undefined): void;
  /** Answer the message (after DATA) with an error, or accept again with undefined. */
  setDataRule(answer: { code: number; message: string } | undefined): void;
  /** Close the connection without answering the next `n` DATA commands. */
  dropNext(n: number): void;
  /** Parse messages as they arrive (off for benchmarks: raw only). */
  parse: boolean;
  /** Milliseconds before answering each message, as a slow server would (0: at once). */
  delayMs: number;
  close(): Promise<void>;
}

/** A real SMTP server on an ephemeral loopback port; messages read back with mailparser. */
export async function startSmtpSink(options: { parse?: boolean } = {}): Promise<SmtpSink> {
  let rule: RecipientRule | undefined;
  let senderAnswer: { code: number; message: string } | undefined;
  let dataAnswer: { code: number; message: string } | undefined;
  let drops = 0;
  const received: ReceivedMail[] = [];
  const sink: Partial<SmtpSink> = { received, parse: options.parse ?? true, delayMs: 0 };
  // smtp-server keeps its connections (with their sockets) in `connections`, under the session's id.
  type Connection = { id: string; _socket: { destroy(): void; destroyed: boolean } };
  const socketOf = (sessionId: string) =>
    [...(server.connections as unknown as Set<Connection>)].find((c) => c.id === sessionId)?._socket;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onMailFrom(_address: SMTPServerAddress, _session, callback) {
      if (senderAnswer) return callback(Object.assign(new Error(senderAnswer.message), { responseCode: senderAnswer.code }));
      callback();
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const answer = rule?.(address.address);
      if (answer) return callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
      callback();
    },
    onData(stream, session, callback) {
      if (drops > 0) {
        drops--;
        stream.resume();
        // Drop the connection mid-conversation, as a crashing server would: this one at once,
        // the others right after.
        socketOf(session.id)?.destroy();
        setImmediate(() => server.connections.forEach((c) => (c as unknown as Connection)._socket.destroy()));
        return;
      }
      if (dataAnswer) {
        const answer = dataAnswer;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error(answer.message), { responseCode: answer.code })));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        const parsed = sink.parse ? await simpleParser(raw) : (undefined as unknown as ParsedMail);
        // A message counts as received only if its 250 can still reach the client. A connection
        // dropped while it was being read (dropNext) leaves the client without an answer: it
        // retries, and recording the lost copy would look like a duplicate send.
        const socket = socketOf(session.id);
        if (!socket || socket.destroyed) return callback();
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({ envelopeTo, envelopeFrom, raw, parsed });
        if (sink.delayMs) setTimeout(callback, sink.delayMs);
        else callback();
      });
    },
  });
  // A client killed mid-conversation (the crash tests) resets its socket: not the sink's failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}`,
    port,
    setRule: (r: RecipientRule | undefined) => {
      rule = r;
    },
    setSenderRule: (answer: { code: number; message: string } | undefined) => {
      senderAnswer = answer;
    },
    setDataRule: (answer: { code: number; message: string } | undefined) => {
      dataAnswer = answer;
    },
    dropNext: (n: number) => {
      drops = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as SmtpSink;
}
