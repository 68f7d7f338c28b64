import { describe, expect, it } from 'vitest';
import { editFile, fieldAtLine, readFields, splitText } from '../../src/content/front-matter-edit.ts';
import { tipTemplate } from '../../src/content/scaffold.ts';
import { tipFields } from '../../src/content/tip-schema.ts';

const scaffold = tipTemplate('Warm socks at night', 13);
const values = () => {
  const split = splitText(scaffold)!;
  const read = readFields(split.yaml);
  if (!read.ok) throw new Error(read.error);
  return { body: split.body, values: read.values };
};

describe('editing front matter field by field', () => {
  it('changes only the lines of the fields that changed; comments, order and quoting stay', () => {
    const { body, values: v } = values();
    const edited = editFile(scaffold, { ...v, title: 'Warm feet, at night', draft: true }, body, tipFields);
    if (!edited.ok) throw new Error(edited.error);
    const before = scaffold.split('\n');
    const after = edited.text.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.map((l, i) => (l === before[i] ? null : [before[i], l])).filter(Boolean);
    expect(changed).toEqual([['title: "Warm socks at night"', 'title: "Warm feet, at night"']]);
  });

  it('writes values as newsletter new does, and a new field after its commented example', () => {
    const { values: v } = values();
    const edited = editFile(
      scaffold,
      {
        ...v,
        sources: [
          { title: 'NHS: Leg cramps', url: 'https://www.nhs.uk/conditions/leg-cramps/' },
          { title: 'A "quoted" one', url: 'https://example.org/a b' },
        ],
        reviewed: '2026-12-05',
        reviewed_by: 'Jo Bloggs, nurse',
      },
      'New body.\n',
      tipFields,
    );
    if (!edited.ok) throw new Error(edited.error);
    expect(edited.text).toContain(
      [
        'sources:',
        '  - title: "NHS: Leg cramps"',
        '    url: https://www.nhs.uk/conditions/leg-cramps/',
        '  - title: "A \\"quoted\\" one"',
        '    url: "https://example.org/a b"',
        '# Drafts show in the preview',
      ].join('\n'),
    );
    expect(edited.text).toContain(
      'reviewed: 2026-12-05\n# Optional (`newsletter review … --by`): the person who checked it, only if a real person did.\n# reviewed_by: "Dr Ann Lee, GP"\nreviewed_by: "Jo Bloggs, nurse"\n',
    );
    expect(edited.text.endsWith('---\nNew body.\n')).toBe(true);
    const reread = readFields(splitText(edited.text)!.yaml);
    expect(reread.ok && reread.values.sources).toEqual([
      { title: 'NHS: Leg cramps', url: 'https://www.nhs.uk/conditions/leg-cramps/' },
      { title: 'A "quoted" one', url: 'https://example.org/a b' },
    ]);
  });

  it('removes a field set to undefined, and finds the field a line belongs to', () => {
    const { body, values: v } = values();
    const edited = editFile(scaffold, { ...v, preheader: undefined }, body, tipFields);
    if (!edited.ok) throw new Error(edited.error);
    expect(edited.text).not.toContain('preheader:');
    const lines = scaffold.split('\n');
    expect(fieldAtLine(scaffold, lines.indexOf('sources:') + 2)).toBe('sources');
    expect(fieldAtLine(scaffold, lines.indexOf('draft: true') + 1)).toBe('draft');
  });

  it('refuses a file without front matter or with broken YAML, and leaves it to a text editor', () => {
    expect(editFile('no front matter', {}, '', tipFields).ok).toBe(false);
    expect(editFile('---\ntitle: [\n---\nbody', {}, '', tipFields).ok).toBe(false);
  });
});
