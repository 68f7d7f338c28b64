import dns2 from 'dns2';

/** A real DNS server on a loopback UDP port, answering MX queries from a table, and noting each query. */
export interface DnsServer {
  /** `127.0.0.1:port`, as NEWSLETTER_DNS_SERVERS takes it. */
  address: string;
  /** Domains asked for, in order (every query, cached or not). */
  queries: string[];
  /** Domains asked for over TCP (the same port), in order. */
  tcpQueries: string[];
  close(): Promise<void>;
}

/**
 * `mx`: each domain's MX hosts (lowest preference first) with a TTL; a domain not in it is
 * NXDOMAIN; a domain in `silent` is never answered (a dead or slow server). The provider-site
 * tests count queries, which dns-server.ts (the doctor's zones) does not.
 */
export async function startDnsServer(
  mx: Record<string, string[]>,
  options: {
    silent?: string[];
    ttl?: number;
    /** A domain's own TTL, over `ttl`. */
    ttls?: Record<string, number>;
    /** An SOA in the authority section of a negative answer (RFC 2308): its TTL and minimum. */
    soa?: { ttl: number; minimum: number };
    /** Domains whose UDP answer is truncated (TC set, no records): the full one comes over TCP. */
    truncated?: string[];
  } = {},
): Promise<DnsServer> {
  const { Packet } = dns2;
  const queries: string[] = [];
  const tcpQueries: string[] = [];
  const handleOver = (tcp: boolean) => (request: dns2.DnsRequest, send: (response: dns2.DnsResponse) => void) => {
    const [question] = request.questions;
    if (!question) return;
    const name = question.name.toLowerCase();
    (tcp ? tcpQueries : queries).push(name);
    if (options.silent?.includes(name)) return;
    const response = Packet.createResponseFromRequest(request);
    const hosts = mx[name];
    if (!tcp && options.truncated?.includes(name)) response.header.tc = 1;
    else if (!hosts) {
      response.header.rcode = 3;
      if (options.soa) response.authorities.push(soaRecord(question.name, options.soa));
    } else if (question.type === Packet.TYPE.MX)
      hosts.forEach((exchange, i) =>
        response.answers.push({
          name: question.name,
          type: Packet.TYPE.MX,
          class: Packet.CLASS.IN,
          ttl: options.ttls?.[name] ?? options.ttl ?? 300,
          exchange,
          priority: (i + 1) * 10,
        }),
      );
    send(response);
  };
  const server = dns2.createServer({ udp: true, handle: handleOver(false) });
  const { udp: bound } = await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const port = (bound as { port: number }).port;
  // TCP on the same port number, as a real server answers both.
  const tcpServer = dns2.createServer({ tcp: true, handle: handleOver(true) });
  await tcpServer.listen({ tcp: { port, address: '127.0.0.1' } });
  return {
    address: `127.0.0.1:${port}`,
    queries,
    tcpQueries,
    close: async () => {
      await server.close();
      await tcpServer.close();
    },
  };
}

function soaRecord(name: string, soa: { ttl: number; minimum: number }): Record<string, unknown> {
  const zone = name.split('.').slice(-2).join('.');
  return {
    name: zone,
    type: dns2.Packet.TYPE.SOA,
    class: dns2.Packet.CLASS.IN,
    ttl: soa.ttl,
    primary: `ns1.${zone}`,
    admin: `hostmaster.${zone}`,
    serial: 1,
    refresh: 3600,
    retry: 600,
    expiration: 86_400,
    minimum: soa.minimum,
  };
}
