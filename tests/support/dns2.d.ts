// The few parts of dns2 (no types of its own) the loopback DNS server in dns-server.ts uses.
declare module 'dns2' {
  import type { Socket } from 'node:dgram';
  interface Question {
    name: string;
    type: number;
  }
  class Packet {
    static TYPE: Record<string, number>;
    static CLASS: Record<string, number>;
    static createResponseFromRequest(request: Packet): Packet;
    questions: Question[];
    answers: Record<string, unknown>[];
    header: { rcode: number; [key: string]: unknown };
  }
  class UDPServer extends Socket {
    constructor(handler: (request: Packet, send: (response: Packet) => Promise<unknown>) => void);
    listen(port: number, address: string): Promise<void>;
  }
  const dns2: { Packet: typeof Packet; UDPServer: typeof UDPServer };
  export default dns2;
  export { Packet, UDPServer };
}
