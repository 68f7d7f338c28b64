import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** What the sink does with one recipient: accept, or answer with an SMTP error code. */
export type RecipientRule = (address: string) => { code: number; message: string } | undefined;

/** Gmail's answer when a sender goes too fast: a temporary rate deferral (421 4.7.28). */
export const GMAIL_RATE_DEFERRAL: SinkAnswer = {
  code: 421,
  message:
    '4.7.28 Our system has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. gsmtp',
};

/** An SMTP answer the sink gives instead of accepting: `{ code: 421, message: '4.3.2 Service not available' }`. */
export type SinkAnswer = { code: number; message: string };

/** One AUTH the sink was sent, as it arrived (a test's own password, compared by the test). */
export interface AuthAttempt {
  method: string;
  username: string;
  password: string | undefined;
  /** Whether the connection was inside TLS (STARTTLS) when the credentials came. */
  secure: boolean;
}

export interface ReceivedMail {
  envelopeTo: string[];
  /** When it was stored (ms since the epoch): benchmarks measure rates at the sink. */
  at?: number;
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
  /**
   * Defer every recipient at `domain` (a provider throttling the sender), with Gmail's 421 4.7.28
   * text unless told otherwise; undefined: take them again. Checked before `setRule`'s rule.
   */
  deferDomain(domain: string | undefined, answer?: SinkAnswer): void;
  /** Messages received per recipient address (a duplicate shows as 2). */
  countByRecipient(): Map<string, number>;
  /**
   * Answer MAIL FROM with an error (a server refusing the sender), or accept again with undefined.
   * A function decides per message from how many messages were received so far: `(n) => (n >= 20
   * ? { code: 421, message: '4.7.0 Try again later, closing connection' } : undefined)` is a relay
   * that gives out after 20 messages.
   */
  setSenderRule(answer: SinkAnswer | ((received: number) => SinkAnswer | undefined) | undefined): void;
  /** Answer every new connection's greeting with this (a `421` relay that is down) and hang up; undefined: greet. */
  setGreeting(answer: SinkAnswer | undefined): void;
  /** Every AUTH command's credentials, in order (the sink takes any user and password). */
  auths: AuthAttempt[];
  /** Answer the message (after DATA) with an error, or accept again with undefined. */
  setDataRule(answer: { code: number; message: string } | undefined): void;
  /** Close the connection without answering the next `n` DATA commands. */
  dropNext(n: number): void;
  /** Parse messages as they arrive (off for benchmarks: raw only). */
  parse: boolean;
  /**
   * Stall after DATA: milliseconds between storing each message (it is in `received` at once) and
   * answering 250, as a slow relay would (0: at once).
   */
  delayMs: number;
  /**
   * The most messages ever open at once per recipient domain: from the start of DATA until the
   * sink answers it (with `delayMs`, each message stays open that long).
   */
  maxOpenByDomain: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on an ephemeral port (loopback unless `host` says otherwise); messages read
 * back with mailparser. It is also the fault kit's relay: refusals at MAIL FROM (fixed, or after N
 * messages), RCPT TO and DATA; a greeting refused (421); a dropped connection; a stall after DATA
 * (`delayMs`); STARTTLS offered (`starttls: true`, smtp-server's own localhost certificate) or not
 * (the default); and every AUTH recorded with whether it came inside TLS (`auths`; AUTH is
 * accepted without TLS too, so a client that sends a password in clear shows here).
 */
export async function startSmtpSink(
  options: {
    parse?: boolean;
    starttls?: boolean;
    host?: string;
    /** The STARTTLS certificate instead of smtp-server's own (which has expired). */
    tls?: { key: string; cert: string };
    /** Refuse every login with 535 (a wrong password). */
    refuseAuth?: boolean;
  } = {},
): Promise<SmtpSink> {
  let rule: RecipientRule | undefined;
  let deferred: { domain: string; answer: SinkAnswer } | undefined;
  let senderAnswer: SinkAnswer | ((received: number) => SinkAnswer | undefined) | undefined;
  let greeting: SinkAnswer | undefined;
  const auths: AuthAttempt[] = [];
  let dataAnswer: { code: number; message: string } | undefined;
  let drops = 0;
  const received: ReceivedMail[] = [];
  const open = new Map<string, number>();
  const maxOpenByDomain = new Map<string, number>();
  const sink: Partial<SmtpSink> = { received, auths, parse: options.parse ?? true, delayMs: 0, maxOpenByDomain };
  /** Counts the message open for its recipients' domains until `done` is called. */
  const opened = (rcptTo: readonly { address: string }[]) => {
    const domains = [...new Set(rcptTo.map((r) => r.address.split('@').pop()!.toLowerCase()))];
    for (const d of domains) {
      open.set(d, (open.get(d) ?? 0) + 1);
      maxOpenByDomain.set(d, Math.max(maxOpenByDomain.get(d) ?? 0, open.get(d)!));
    }
    return () => domains.forEach((d) => open.set(d, open.get(d)! - 1));
  };
  // smtp-server keeps its connections (with their sockets) in `connections`, under the session's id.
  type Connection = { id: string; _socket: { destroy(): void; destroyed: boolean } };
  const socketOf = (sessionId: string) =>
    [...(server.connections as unknown as Set<Connection>)].find((c) => c.id === sessionId)?._socket;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: options.starttls ? [] : ['STARTTLS'],
    ...(options.tls ?? {}),
    logger: false,
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      if (greeting) return callback(Object.assign(new Error(greeting.message), { responseCode: greeting.code }));
      callback();
    },
    onAuth(auth, session, callback) {
      auths.push({
        method: auth.method,
        username: auth.username ?? '',
        password: auth.password ?? undefined,
        secure: Boolean(session.secure),
      });
      if (options.refuseAuth)
        return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      callback(null, { user: auth.username ?? 'user' });
    },
    onMailFrom(_address: SMTPServerAddress, _session, callback) {
      const answer = typeof senderAnswer === 'function' ? senderAnswer(received.length) : senderAnswer;
      if (answer) return callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
      callback();
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const atDeferred = deferred && address.address.toLowerCase().endsWith(`@${deferred.domain}`);
      const answer = atDeferred ? deferred!.answer : rule?.(address.address);
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
      const closed = opened(session.envelope.rcptTo);
      const answer = (e?: Error) => {
        closed();
        callback(e);
      };
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
        if (!socket || socket.destroyed) return answer();
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({ envelopeTo, envelopeFrom, raw, parsed, at: Date.now() });
        if (sink.delayMs) setTimeout(answer, sink.delayMs);
        else answer();
      });
    },
  });
  // A client killed mid-conversation (the crash tests) resets its socket: not the sink's failure.
  server.on('error', () => {});
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.server.address() as AddressInfo).port;
  return Object.assign(sink, {
    url: `smtp://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    setRule: (r: RecipientRule | undefined) => {
      rule = r;
    },
    setSenderRule: (answer: SinkAnswer | ((received: number) => SinkAnswer | undefined) | undefined) => {
      senderAnswer = answer;
    },
    setGreeting: (answer: SinkAnswer | undefined) => {
      greeting = answer;
    },
    setDataRule: (answer: { code: number; message: string } | undefined) => {
      dataAnswer = answer;
    },
    dropNext: (n: number) => {
      drops = n;
    },
    deferDomain: (domain: string | undefined, answer: SinkAnswer = GMAIL_RATE_DEFERRAL) => {
      deferred = domain ? { domain: domain.toLowerCase(), answer } : undefined;
    },
    countByRecipient: () => {
      const counts = new Map<string, number>();
      for (const m of received) for (const to of m.envelopeTo) counts.set(to, (counts.get(to) ?? 0) + 1);
      return counts;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }) as SmtpSink;
}
