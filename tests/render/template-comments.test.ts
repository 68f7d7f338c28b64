import { describe, expect, it } from 'vitest';
import { keepCommentLines } from '../../src/render/templates.ts';

describe('keepCommentLines', () => {
  it('leaves a comment over several lines as an empty one and its line breaks, so later lines keep their numbers', () => {
    const source = 'a\n{{!-- one\n  two\n  three --}}\n<mj-text colour="red">b</mj-text>';
    const kept = keepCommentLines(source);
    expect(kept).toBe('a\n{{!}}\n\n\n<mj-text colour="red">b</mj-text>');
    const line = (text: string) => text.split('\n').findIndex((l) => l.includes('colour'));
    expect(line(kept)).toBe(line(source));
  });

  it('leaves one-line comments and the short form on one line as they are, and handles the short form over lines', () => {
    expect(keepCommentLines('{{!-- why --}}x{{! note }}')).toBe('{{!-- why --}}x{{! note }}');
    expect(keepCommentLines('{{! a\nb }}x')).toBe('{{!}}\nx');
  });
});
