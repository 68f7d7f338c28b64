import { failed, formatFinding, runDoctor } from '../check/doctor/run-doctor.ts';
import type { LeafCommand } from './command.ts';
import { withApp } from './with-app.ts';

const doctor: LeafCommand = {
  usage: [
    'newsletter doctor [--json]',
    '',
    'Proves the sending setup before the first send, as receivers will judge it. One line per',
    'finding, ✓ ⚠ or ✗, with what to do and, for a missing or wrong DNS record, the record to publish:',
    '  SPF of the envelope-from domain (one record, at most 10 lookups, -all/~all, covers',
    '  NEWSLETTER_SENDING_IP); DKIM (the selector’s key matches NEWSLETTER_DKIM_KEY_FILE, at least',
    '  1024 bits, d= aligned with From); DMARC (policy, alignment, rua=); the bounce domain’s MX;',
    '  the relay (EHLO, STARTTLS and its certificate, the login; sends nothing); the site (https,',
    '  /healthz, one-click unsubscribe answering a probe that changes nothing); and week 1 rendered,',
    '  signed as a send signs it and verified with mailauth (SPF, DKIM, DMARC, ARC).',
    'DNS goes through NEWSLETTER_DNS_SERVERS (default: the system’s). Exit 1 on any ✗.',
    '  --json  the findings as JSON: {"ok": bool, "findings": [{check, verdict, message, fix, record}]}',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  run: ({ values }, io) =>
    withApp(io, async (app) => {
      const project = await app.project();
      const findings = await runDoctor({ config: app.config, project, secret: app.secret, now: io.now() });
      const bad = failed(findings);
      if (values.json) io.out(JSON.stringify({ ok: !bad, findings }, null, 2));
      else {
        for (const f of findings) for (const line of formatFinding(f)) io.out(line);
        const count = (v: string) => findings.filter((f) => f.verdict === v).length;
        io.out(
          `${bad ? '✗' : '✓'} doctor: ${count('ok')} ✓, ${count('warn')} ⚠, ${count('fail')} ✗${bad ? ': fix each ✗ above, then run `newsletter doctor` again' : ''}`,
        );
      }
      return bad ? 1 : 0;
    }),
};

export default doctor;
