import { describe, expect, it } from 'vitest';
import { createLogger, lineForPeople } from '../src/log.ts';

const AT = new Date('2026-12-05T16:02:33.123Z');

/** A logger writing into an array, for a terminal (`forPeople`) or a collector, at a fixed time. */
function capture(forPeople: boolean) {
  const lines: string[] = [];
  const log = createLogger('info', { write: (l) => lines.push(l), forPeople }, { now: () => AT });
  return { log, lines };
}

describe('the log on a terminal and in a pipe', () => {
  it('writes JSON lines, with the time it is given, when nobody reads it live', () => {
    const { log, lines } = capture(false);
    log.info({ event: 'pass', due: 3, sent: 2 }, 'dispatch pass');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      time: '2026-12-05T16:02:33.123Z',
      event: 'pass',
      due: 3,
      sent: 2,
      msg: 'dispatch pass',
    });
  });

  it('writes the same line as text for people: time of day, level, message, then key=value', () => {
    const { log, lines } = capture(true);
    log.info({ event: 'pass', due: 3, aborted: 'relay down', nested: { a: 1 } }, 'dispatch pass');
    log.error('550 5.1.1 <bob@example.org>: no such user');
    expect(lines).toEqual([
      '16:02:33 INFO  dispatch pass event=pass due=3 aborted="relay down" nested={"a":1}\n',
      '16:02:33 ERROR 550 5.1.1 <<address>>: no such user\n',
    ]);
  });

  it('masks and censors for people as it does for a collector', () => {
    const { log, lines } = capture(true);
    log.warn({ email: 'ann@example.net', token: 'abc.def' }, 'mail to ann@example.net failed');
    expect(lines.join('')).not.toMatch(/ann@|abc\.def/);
    expect(lines[0]).toContain('mail to <address> failed email=[redacted] token=[redacted]');
  });

  it('passes a line that is not JSON on as it is', () => {
    expect(lineForPeople('not json\n')).toBe('not json\n');
  });
});
