import { createSocket } from 'node:dgram';
import { getServers } from 'node:dns';
import { randomInt } from 'node:crypto';
import { isIP, connect } from 'node:net';
import * as packet from 'dns-packet';

/**
 * MX lookups that keep the answer's TTL, which node's `resolveMx` drops. dns-packet (the
 * encoder and decoder under multicast-dns and most of node's DNS tooling) builds and reads the
 * messages; the transport is node's own UDP socket, with TCP when an answer comes back
 * truncated. Not dns2's client: it has no timeout (a silent server keeps its socket open for
 * ever) and asserts on a reply's id inside the socket's event handler, so a stray datagram would
 * throw where nothing catches it.
 */

/** An MX answer: hosts lowest preference first (`[]`: the domain has none) and how long it holds. */
export interface MxAnswer {
  hosts: string[];
  /** Seconds: the smallest TTL among the MX records; for no MX, the SOA's negative TTL (RFC 2308), if given. */
  ttlSeconds?: number;
}

interface Server {
  host: string;
  port: number;
}

/** `ip`, `ip:port`, `[ipv6]` or `[ipv6]:port` (NEWSLETTER_DNS_SERVERS, `dns.getServers()`) as host and port. */
export function parseServer(text: string): Server {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2] ?? 53) };
  if (isIP(text) !== 0) return { host: text, port: 53 };
  const hostPort = /^([^:]+):(\d+)$/.exec(text);
  if (hostPort) return { host: hostPort[1]!, port: Number(hostPort[2]) };
  throw new Error(`not a DNS server address: "${text}" (use ip, ip:port or [ipv6]:port)`);
}

/**
 * The MX lookup for `domain` through `servers` (else the system's), each asked in turn for at
 * most `timeoutMs`. Rejects when none gives an answer (timeout, SERVFAIL, REFUSED): the caller
 * decides what a failure means. NXDOMAIN and "no MX" are answers: `hosts: []`.
 */
export function mxQuery(servers?: readonly string[], options: { timeoutMs?: number } = {}) {
  const timeoutMs = options.timeoutMs ?? 1500;
  return async (domain: string): Promise<MxAnswer> => {
    const list = (servers?.length ? servers : getServers()).map(parseServer);
    let last: unknown = new Error('no DNS server configured');
    for (const server of list) {
      try {
        let reply = await overUdp(server, domain, timeoutMs);
        if (reply.flag_tc) reply = await overTcp(server, domain, timeoutMs);
        return answerOf(reply, domain);
      } catch (e) {
        last = e;
      }
    }
    throw last;
  };
}

function query(domain: string): { id: number; message: packet.Packet } {
  const id = randomInt(0, 65_536);
  return {
    id,
    message: {
      type: 'query',
      id,
      flags: packet.RECURSION_DESIRED,
      questions: [{ type: 'MX', name: domain, class: 'IN' }],
    },
  };
}

function answerOf(reply: packet.DecodedPacket, domain: string): MxAnswer {
  const rcode = (reply as { rcode?: string }).rcode ?? 'NOERROR';
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN')
    throw Object.assign(new Error(`DNS ${rcode} for ${domain}`), { code: rcode });
  const mx = (reply.answers ?? []).filter((a): a is packet.MxAnswer => a.type === 'MX');
  if (rcode === 'NOERROR' && mx.length > 0)
    return {
      hosts: mx
        .sort((a, b) => (a.data.preference ?? 0) - (b.data.preference ?? 0))
        .map((a) => a.data.exchange.replace(/\.$/, '')),
      ttlSeconds: Math.min(...mx.map((a) => a.ttl ?? 0)),
    };
  // A negative answer is kept for the SOA's TTL or its minimum, whichever is lower (RFC 2308 §5).
  const soa = (reply.authorities ?? []).find((a): a is packet.SoaAnswer => a.type === 'SOA');
  if (!soa) return { hosts: [] };
  return { hosts: [], ttlSeconds: Math.min(soa.ttl ?? Infinity, soa.data.minimum ?? Infinity) };
}

function overUdp(server: Server, domain: string, timeoutMs: number): Promise<packet.DecodedPacket> {
  const { id, message } = query(domain);
  const socket = createSocket(isIP(server.host) === 6 ? 'udp6' : 'udp4');
  return new Promise<packet.DecodedPacket>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('DNS timed out'), { code: 'ETIMEOUT' })), timeoutMs);
    socket.on('error', reject);
    socket.on('message', (buf) => {
      let reply: packet.DecodedPacket;
      try {
        reply = packet.decode(buf);
      } catch {
        return; // Not a DNS message: wait for the real one (or the timeout).
      }
      // A reply to another question (a late one, or spoofed) is ignored.
      if (reply.id !== id) return;
      clearTimeout(timer);
      resolve(reply);
    });
    socket.send(packet.encode(message), server.port, server.host);
  }).finally(() => socket.close());
}

function overTcp(server: Server, domain: string, timeoutMs: number): Promise<packet.DecodedPacket> {
  const { message } = query(domain);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port });
    const timer = setTimeout(() => socket.destroy(new Error('DNS over TCP timed out')), timeoutMs);
    let data = Buffer.alloc(0);
    socket.on('connect', () => socket.write(packet.streamEncode(message)));
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      if (data.length >= 2 && data.length >= 2 + data.readUInt16BE(0)) {
        clearTimeout(timer);
        socket.end();
        try {
          resolve(packet.streamDecode(data) as packet.DecodedPacket);
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
    });
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error('DNS over TCP closed before an answer'));
    });
  });
}
