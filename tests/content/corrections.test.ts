import { describe, expect, it } from 'vitest';
import { parseTip } from '../../src/content/tips.ts';
import { formatProblem } from '../../src/problems.ts';

const style = { accent: '#1d5f8a' };
const FILE = 'content/tips/03-stop-it.md';

function tipWith(corrections: string): string {
  return [
    '---',
    'title: Stop it in its tracks',
    'week: 3',
    'sources:',
    '  - title: NHS',
    '    url: https://www.nhs.uk/conditions/leg-cramps/',
    corrections,
    '---',
    'Stretch the calf.',
    '',
  ].join('\n');
}

describe('corrections: front matter', () => {
  it('reads each entry with its date, text and a ledger key that tells two of one date apart', () => {
    const { tip, problems } = parseTip(
      tipWith(
        [
          'corrections:',
          '  - date: 2026-12-01',
          '    text: We said to hold the stretch for 10 minutes. It is 30 seconds.',
          '  - date: 2026-12-01',
          '    text: The NHS link pointed to an old page.',
          '  - date: 2026-12-04',
          '    text: Quinine is not advised for cramps.',
        ].join('\n'),
      ),
      FILE,
      style,
    );
    expect(problems).toEqual([]);
    expect(tip!.corrections).toEqual([
      {
        date: '2026-12-01',
        key: '2026-12-01',
        text: 'We said to hold the stretch for 10 minutes. It is 30 seconds.',
      },
      { date: '2026-12-01', key: '2026-12-01#2', text: 'The NHS link pointed to an old page.' },
      { date: '2026-12-04', key: '2026-12-04', text: 'Quinine is not advised for cramps.' },
    ]);
  });

  it('a tip without corrections has none', () => {
    expect(parseTip(tipWith(''), FILE, style).tip!.corrections).toEqual([]);
  });

  it.each([
    [
      'a date that is not one',
      ['corrections:', '  - date: 1st December', '    text: It is 30 seconds.'],
      `${FILE}:8: corrections[0].date must be the date of the correction, like 2026-12-01 (got "1st December")`,
    ],
    [
      'no text',
      ['corrections:', '  - date: 2026-12-01'],
      `${FILE}:8: corrections[0].text must be one or two plain sentences: what was wrong and what is right, e.g. "We said 10 minutes; it is 30 seconds."`,
    ],
    [
      'three sentences',
      ['corrections:', '  - date: 2026-12-01', '    text: One. Two. Three.'],
      `${FILE}:9: corrections[0].text must be at most two sentences: say what was wrong and what is right (got "One. Two. Three.")`,
    ],
    [
      'Markdown in the text',
      ['corrections:', '  - date: 2026-12-01', '    text: See [the NHS](https://www.nhs.uk/).'],
      `${FILE}:9: corrections[0].text must be plain text (no Markdown or HTML, one paragraph) (got "See [the NHS](https://www.nhs.uk/).")`,
    ],
    [
      'a single entry, not a list',
      ['corrections:', '  date: 2026-12-01'],
      `${FILE}:7: corrections must be a list of {date, text} entries (got {"date":"2026-12-01"})`,
    ],
  ])('%s is reported with file, line and field', (_kind, lines, expected) => {
    const { tip, problems } = parseTip(tipWith(lines.join('\n')), FILE, style);
    expect(tip).toBeUndefined();
    expect(problems.map(formatProblem), JSON.stringify(problems.map(formatProblem))).toContain(expected);
  });
});
