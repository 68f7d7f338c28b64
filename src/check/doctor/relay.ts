import { connect as netConnect, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { fail, ok, warn, type Finding } from './finding.ts';

const CHECK = 'relay';
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);

export interface RelayInput {
  /** NEWSLETTER_SMTP_URL. */
  url: string | undefined;
  /** The relay is on this machine (or NEWSLETTER_SMTP_AUTH_WITHOUT_TLS): no TLS is a warning, not a failure. */
  plainAllowed: boolean;
  /** Logs in (as a send would) and quits: nodemailer's verify(), which sends nothing. */
  login(): Promise<void>;
  /** The login's failure in the operator's words (smtp-options' classification). */
  explain(error: unknown): string;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

/** One SMTP conversation line by line: each reply (all its lines) as it completes. */
function conversation(socket: Socket, timeoutMs: number) {
  let buffer = '';
  let lines: string[] = [];
  let waiting: ((reply: { code: number; lines: string[] }) => void) | undefined;
  const replies: { code: number; lines: string[] }[] = [];
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    let at: number;
    while ((at = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, at).replace(/\r$/, '');
      buffer = buffer.slice(at + 1);
      lines.push(line.slice(4));
      if (line[3] !== '-') {
        const reply = { code: Number(line.slice(0, 3)), lines };
        lines = [];
        if (waiting) {
          const w = waiting;
          waiting = undefined;
          w(reply);
        } else replies.push(reply);
      }
    }
  };
  socket.on('data', onData);
  return {
    next(): Promise<{ code: number; lines: string[] }> {
      const queued = replies.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        const closed = () => reject(new Error('the relay closed the connection'));
        socket.once('close', closed);
        waiting = (reply) => {
          clearTimeout(timer);
          socket.off('close', closed);
          resolve(reply);
        };
      });
    },
    async command(line: string) {
      socket.write(`${line}\r\n`);
      return this.next();
    },
    detach: () => socket.off('data', onData),
  };
}

function opened(socket: Socket | TLSSocket, event: 'connect' | 'secureConnect', timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** The certificate's verdict for `host`: valid, self-signed (⚠), or failing (✗: expired, another name, unknown issuer). */
function certificateFinding(socket: TLSSocket, host: string, how: string): Finding {
  const cert: PeerCertificate = socket.getPeerCertificate();
  const expires = cert.valid_to ? ` until ${new Date(cert.valid_to).toISOString().slice(0, 10)}` : '';
  const error = socket.authorizationError as unknown as Error | string | null;
  const code = typeof error === 'string' ? error : ((error as { code?: string } | null)?.code ?? error?.message);
  const nameProblem = cert.subject ? checkServerIdentity(host, cert) : undefined;
  if (code && SELF_SIGNED.has(code))
    return warn(
      CHECK,
      `${how}, but the certificate is self-signed (${code})`,
      'fine only for a relay on this machine; for any other host install a certificate from a public CA (e.g. Let’s Encrypt) for this name',
    );
  if (code)
    return fail(
      CHECK,
      `${how}, but the certificate does not verify (${code})`,
      'renew the relay’s certificate, or name the relay in NEWSLETTER_SMTP_URL by a host its certificate is for',
    );
  if (nameProblem)
    return fail(
      CHECK,
      `${how}, but the certificate is not for ${host} (${nameProblem.message})`,
      'name the relay in NEWSLETTER_SMTP_URL by the host its certificate is for',
    );
  return ok(CHECK, `${how}, certificate valid for ${host}${expires}`);
}

/**
 * Connects to NEWSLETTER_SMTP_URL, says EHLO, upgrades with STARTTLS (or is TLS from the start
 * with smtps://) and judges the certificate; then logs in as a send does. Sends no mail.
 */
export async function checkRelay(input: RelayInput): Promise<Finding[]> {
  if (!input.url)
    return [
      fail(
        CHECK,
        'NEWSLETTER_SMTP_URL is not set: emails are written to the outbox folder, nobody receives them',
        'set NEWSLETTER_SMTP_URL=smtp://user:pass@smtp.your-provider.example:587',
      ),
    ];
  const url = new URL(input.url);
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port) || (secure ? 465 : 587);
  const timeoutMs = input.timeoutMs ?? 10_000;
  const where = `${host}:${port}`;
  const findings: Finding[] = [];
  const servername = /^[\d.]+$|:/.test(host) ? undefined : host;
  let socket: Socket | undefined;
  const abort = () => socket?.destroy();
  input.signal?.addEventListener('abort', abort, { once: true });
  try {
    if (secure) {
      const tls = tlsConnect({ host, port, rejectUnauthorized: false, ...(servername ? { servername } : {}) });
      socket = tls;
      await opened(tls, 'secureConnect', timeoutMs);
      findings.push(certificateFinding(tls, host, `${where} speaks TLS from the start (smtps)`));
    } else {
      socket = await startTls(host, port, servername, timeoutMs, input.plainAllowed, findings);
    }
  } catch (e) {
    findings.push(
      fail(
        CHECK,
        `cannot talk to ${where} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        'check the host and port in NEWSLETTER_SMTP_URL and that this machine may reach it (firewall, provider blocks on port 25/587)',
      ),
    );
    return findings;
  } finally {
    socket?.end();
    socket?.destroy();
    input.signal?.removeEventListener('abort', abort);
  }
  try {
    await input.login();
    findings.push(
      ok(
        CHECK,
        url.username
          ? `${where} accepted the login of ${decodeURIComponent(url.username)}`
          : `${where} takes mail without a login (no user in NEWSLETTER_SMTP_URL)`,
      ),
    );
  } catch (e) {
    findings.push(
      fail(CHECK, `${where}: ${input.explain(e)}`, 'fix NEWSLETTER_SMTP_URL (user, password, host) as the line says'),
    );
  }
  return findings;
}

/**
 * smtp://: the greeting, EHLO, then STARTTLS and the certificate; what it found goes to
 * `findings`. The socket it ends on, for the caller to close.
 */
async function startTls(
  host: string,
  port: number,
  servername: string | undefined,
  timeoutMs: number,
  plainAllowed: boolean,
  findings: Finding[],
): Promise<Socket> {
  const where = `${host}:${port}`;
  const plain = netConnect({ host, port });
  try {
    return await converse(plain, { where, host, servername, timeoutMs, plainAllowed }, findings);
  } catch (e) {
    plain.destroy();
    throw e;
  }
}

async function converse(
  plain: Socket,
  at: { where: string; host: string; servername: string | undefined; timeoutMs: number; plainAllowed: boolean },
  findings: Finding[],
): Promise<Socket> {
  const { where, host, servername, timeoutMs, plainAllowed } = at;
  await opened(plain, 'connect', timeoutMs);
  const talk = conversation(plain, timeoutMs);
  const greeting = await talk.next();
  if (greeting.code !== 220) {
    findings.push(
      fail(
        CHECK,
        `${where} greets with ${greeting.code} ${greeting.lines.join(' ')}`,
        'the relay is refusing connections: ask its operator, or check NEWSLETTER_SMTP_URL',
      ),
    );
    return plain;
  }
  const ehlo = await talk.command('EHLO newsletter-doctor');
  const extensions = ehlo.lines.slice(1).map((l) => l.toUpperCase());
  if (ehlo.code !== 250) {
    findings.push(
      fail(
        CHECK,
        `${where} refused EHLO (${ehlo.code} ${ehlo.lines.join(' ')})`,
        'check NEWSLETTER_SMTP_URL names an SMTP submission port (587)',
      ),
    );
    return plain;
  }
  if (!extensions.some((e) => e.startsWith('STARTTLS'))) {
    const message = `${where} answers EHLO but offers no STARTTLS: mail and the password would cross the network unencrypted`;
    const fix = 'use a relay that offers STARTTLS on 587, or smtps://…:465';
    findings.push(plainAllowed ? warn(CHECK, message, fix) : fail(CHECK, message, fix));
  } else {
    const answer = await talk.command('STARTTLS');
    talk.detach();
    if (answer.code !== 220) {
      findings.push(
        fail(
          CHECK,
          `${where} offers STARTTLS but refused it (${answer.code} ${answer.lines.join(' ')})`,
          'ask the relay’s operator to fix TLS, or use smtps://…:465',
        ),
      );
    } else {
      const tls = tlsConnect({ socket: plain, rejectUnauthorized: false, ...(servername ? { servername } : {}) });
      await opened(tls, 'secureConnect', timeoutMs);
      findings.push(certificateFinding(tls, host, `${where} answers EHLO and offers STARTTLS`));
      return tls;
    }
  }
  return plain;
}
