// dns2 2.x ships no types: the parts tests/support/dns-server.ts uses.
declare module 'dns2' {
  namespace dns2 {
    interface DnsQuestion {
      name: string;
      type: number;
    }
    interface DnsRequest {
      questions: DnsQuestion[];
    }
    interface DnsResponse {
      header: { rcode: number; tc: number };
      answers: Record<string, unknown>[];
      authorities: Record<string, unknown>[];
    }
    interface DnsServer {
      listen(options: Record<string, { port: number; address: string }>): Promise<Record<string, unknown>>;
      close(): Promise<void>;
    }
  }
  const dns2: {
    Packet: {
      TYPE: Record<'A' | 'MX' | 'TXT' | 'SOA', number>;
      CLASS: Record<'IN', number>;
      createResponseFromRequest(request: dns2.DnsRequest): dns2.DnsResponse;
    };
    createServer(options: {
      udp?: boolean;
      tcp?: boolean;
      handle(request: dns2.DnsRequest, send: (response: dns2.DnsResponse) => void): void;
    }): dns2.DnsServer;
  };
  export default dns2;
}
