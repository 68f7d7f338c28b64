import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback TCP proxy a test puts between a process and a server (PostgreSQL, SMTP) to make the
 * faults operators meet, on real sockets:
 * - `cut()`: every connection is closed and new ones are reset at once, until `restore()` (a
 *   failover, a pooler restart, a server that is down);
 * - `stall()`: connections stay open but no byte goes either way, new ones included, until
 *   `restore()` (a network partition, a hung server); what was sent meanwhile flows on restore;
 * - `reset()`: every open connection gets a TCP RST (a firewall or a crashed host's reply); new
 *   connections pass;
 * - `restore()`: forwards again.
 * With no fault it forwards both ways; one side closing ends the other cleanly, and a reset on
 * one side (a SIGKILLed client) is absorbed, so the server sees a connection end, not an error.
 */
export interface TcpProxy {
  /** The port it listens on, on 127.0.0.1. */
  port: number;
  /** `target` with its port replaced by the proxy's: a URL of the same server through the proxy. */
  url(target: string): string;
  /** Open client connections through it now. */
  connections(): number;
  /** Connections accepted since it started (reset ones included). */
  accepted(): number;
  cut(): void;
  stall(): void;
  reset(): void;
  restore(): void;
  close(): Promise<void>;
}

type State = 'open' | 'cut' | 'stalled';

interface Pair {
  client: Socket;
  upstream: Socket;
}

export async function startTcpProxy(target: { port: number; host?: string }): Promise<TcpProxy> {
  const host = target.host ?? '127.0.0.1';
  let state: State = 'open';
  let accepted = 0;
  const pairs = new Set<Pair>();

  /** Copies `from` to `to` with back-pressure, holding everything while the proxy is stalled. */
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (state !== 'stalled') from.resume();
    });
    from.on('end', () => to.end());
  };

  const server = createServer((client) => {
    accepted++;
    client.on('error', () => undefined);
    if (state === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, host);
    upstream.on('error', () => undefined);
    const pair: Pair = { client, upstream };
    pairs.add(pair);
    forward(client, upstream);
    forward(upstream, client);
    if (state === 'stalled') {
      client.pause();
      upstream.pause();
    }
    const gone = () => {
      pairs.delete(pair);
      // One side gone: the other is told with a clean close, or destroyed if it was reset.
      if (!client.destroyed) client.end();
      if (!upstream.destroyed) upstream.end();
    };
    client.on('close', gone);
    upstream.on('close', gone);
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const everySocket = () => [...pairs].flatMap((p) => [p.client, p.upstream]);
  return {
    port,
    url(targetUrl: string) {
      const u = new URL(targetUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    connections: () => pairs.size,
    accepted: () => accepted,
    cut() {
      state = 'cut';
      for (const s of everySocket()) s.destroy();
      pairs.clear();
    },
    stall() {
      state = 'stalled';
      for (const s of everySocket()) s.pause();
    },
    reset() {
      for (const s of everySocket()) if (!s.destroyed) s.resetAndDestroy();
      pairs.clear();
    },
    restore() {
      state = 'open';
      for (const s of everySocket()) s.resume();
    },
    close() {
      for (const s of everySocket()) s.destroy();
      pairs.clear();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
