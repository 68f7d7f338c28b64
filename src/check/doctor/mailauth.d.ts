// mailauth 4 ships no types: the parts `doctor` reads of its results (see its README).
declare module 'mailauth' {
  export interface AuthStatus {
    result: string;
    comment?: string | false;
  }
  export interface AuthenticateOptions {
    ip?: string;
    helo?: string;
    sender?: string;
    mta?: string;
    resolver?: (name: string, type: string) => Promise<unknown>;
    disableBimi?: boolean;
    minBitLength?: number;
  }
  export interface AuthenticateResult {
    dkim: {
      results?: { signingDomain?: string; selector?: string; status: AuthStatus & { aligned?: string | false } }[];
    };
    spf: { domain?: string; status: AuthStatus } | false;
    dmarc: { status: AuthStatus; policy?: string } | false;
    arc: { status: AuthStatus } | false;
    headers: string;
  }
  export function authenticate(input: Buffer | string, options: AuthenticateOptions): Promise<AuthenticateResult>;
  const mailauth: { authenticate: typeof authenticate };
  export default mailauth;
}

declare module 'mailauth/lib/spf/index.js' {
  import type { AuthenticateOptions, AuthStatus } from 'mailauth';
  export function spf(
    options: Pick<AuthenticateOptions, 'ip' | 'helo' | 'sender' | 'mta' | 'resolver'>,
  ): Promise<{ status: AuthStatus; info?: string }>;
  const module: { spf: typeof spf };
  export default module;
}
