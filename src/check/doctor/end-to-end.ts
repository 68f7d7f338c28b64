import type { AuthenticateResult, AuthStatus } from 'mailauth';
import { fail, ok, warn, type Finding } from './finding.ts';

const CHECK = 'end to end';

export interface EndToEndInput {
  /** Week 1 as a reader gets it: composed and DKIM-signed as a send does, the raw message. */
  message(): Promise<{ raw: Buffer; envelopeFrom: string }>;
  sendingIp?: string | undefined;
  helo: string;
  /** mailauth's `authenticate` over the configured resolver. */
  authenticate(raw: Buffer, options: { ip?: string; helo: string; sender: string }): Promise<AuthenticateResult>;
}

const said = (s: AuthStatus) => `${s.result}${s.comment ? ` (${s.comment})` : ''}`;

/**
 * Week 1, rendered, composed and signed exactly as a send does, then judged by mailauth (the
 * receivers' own SPF, DKIM, DMARC and ARC logic) against the configured DNS: each verdict, and
 * the Authentication-Results header a receiver would add.
 */
export async function checkEndToEnd(input: EndToEndInput): Promise<Finding[]> {
  const { raw, envelopeFrom } = await input.message();
  const result = await input.authenticate(raw, {
    ...(input.sendingIp ? { ip: input.sendingIp } : {}),
    helo: input.helo,
    sender: envelopeFrom,
  });
  const findings: Finding[] = [];
  if (!input.sendingIp)
    findings.push(
      warn(
        CHECK,
        'SPF not judged: NEWSLETTER_SENDING_IP is not set',
        'set NEWSLETTER_SENDING_IP to your relay’s outgoing address',
      ),
    );
  else if (result.spf) {
    const s = result.spf.status;
    const line = `SPF ${s.result === 'pass' ? 'pass' : said(s)} for ${envelopeFrom} from ${input.sendingIp}`;
    findings.push(
      s.result === 'pass'
        ? ok(CHECK, line)
        : fail(
            CHECK,
            line,
            'publish the SPF record the SPF line above gives, so receivers let the relay send for this domain',
          ),
    );
  }
  const signatures = result.dkim.results ?? [];
  const signed = signatures.filter((r) => r.signingDomain);
  if (signed.length === 0)
    findings.push(fail(CHECK, 'DKIM none: week 1 goes out unsigned', 'configure DKIM (see the DKIM line above)'));
  for (const r of signed) {
    const line = `DKIM ${said(r.status)} d=${r.signingDomain} s=${r.selector}`;
    findings.push(
      r.status.result === 'pass'
        ? ok(CHECK, line)
        : fail(CHECK, line, 'publish the DKIM record the DKIM line above gives'),
    );
  }
  if (result.dmarc) {
    const s = result.dmarc.status;
    const line = `DMARC ${said(s)}${result.dmarc.policy ? ` policy ${result.dmarc.policy}` : ''}`;
    findings.push(
      s.result === 'pass'
        ? ok(CHECK, line)
        : fail(CHECK, line, 'receivers apply your DMARC policy to this mail: fix the SPF, DKIM and DMARC lines above'),
    );
  }
  if (result.arc) {
    const s = result.arc.status;
    const line = `ARC ${said(s)}`;
    findings.push(
      s.result === 'none' || s.result === 'pass'
        ? ok(CHECK, `${line}${s.result === 'none' ? ': no ARC set, as expected of a first hop' : ''}`)
        : fail(CHECK, line, 'the message carries a broken ARC set: remove whatever adds ARC headers before the relay'),
    );
  }
  const authResults = headerLines(result.headers, 'Authentication-Results');
  if (authResults.length) findings.push(ok(CHECK, 'a receiver would add:', { detail: authResults }));
  return findings;
}

/** One header of a block (`Name: …` and its folded lines), each line trimmed; [] when absent. */
function headerLines(block: string, name: string): string[] {
  const lines = block.split(/\r?\n/);
  const start = lines.findIndex((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && !/^[ \t]/.test(l));
  return lines.slice(start, end < 0 ? undefined : end).map((l, i) => (i === 0 ? l.trim() : `  ${l.trim()}`));
}
