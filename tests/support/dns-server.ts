import dns2 from 'dns2';

/** What one name answers: each TXT record (split into 255-byte strings on the wire), MX and A records. */
export interface ZoneEntry {
  TXT?: string[];
  MX?: { exchange: string; priority: number }[];
  A?: string[];
}

/** Names (lower case, no trailing dot) and their records; a name not in it answers NXDOMAIN. */
export type Zone = Record<string, ZoneEntry>;

export interface DnsServer {
  /** `127.0.0.1:PORT`, as NEWSLETTER_DNS_SERVERS takes it. */
  address: string;
  /** Swap the zone the server answers from (one server, many cases). */
  serve(zone: Zone): void;
  close(): Promise<void>;
}

const NXDOMAIN = 3;
const chunks = (text: string) => text.match(/.{1,255}/gs) ?? [''];

/**
 * A real DNS server on a loopback port (dns2), UDP and TCP on the same port so a long answer
 * (a 2048-bit DKIM key) can come over TCP as resolvers retry it.
 */
export async function startDnsServer(zone: Zone = {}): Promise<DnsServer> {
  const { Packet } = dns2;
  let current = zone;
  const handle = (request: dns2.DnsRequest, send: (response: dns2.DnsResponse) => void) => {
    const response = Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    const name = (question?.name ?? '').toLowerCase().replace(/\.$/, '');
    const entry = current[name];
    if (!entry) response.header.rcode = NXDOMAIN;
    else if (question?.type === Packet.TYPE.TXT)
      for (const txt of entry.TXT ?? [])
        response.answers.push({ name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data: chunks(txt) });
    else if (question?.type === Packet.TYPE.MX)
      for (const mx of entry.MX ?? [])
        response.answers.push({ name, type: Packet.TYPE.MX, class: Packet.CLASS.IN, ttl: 60, ...mx });
    else if (question?.type === Packet.TYPE.A)
      for (const address of entry.A ?? [])
        response.answers.push({ name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 60, address });
    send(response);
  };
  const udp = dns2.createServer({ udp: true, handle });
  const { udp: bound } = await udp.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = (bound as { port: number }).port;
  const tcp = dns2.createServer({ tcp: true, handle });
  await tcp.listen({ tcp: { port, address: '127.0.0.1' } });
  return {
    address: `127.0.0.1:${port}`,
    serve: (z) => {
      current = z;
    },
    close: async () => {
      await Promise.all([udp.close(), tcp.close()]);
    },
  };
}
