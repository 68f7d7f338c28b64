import { describe, expect, it } from 'vitest';
import { WIRE_LINE, wireLines } from '../../src/render/wire-lines.ts';

const lines = (html: string) => html.split('\n');

describe('wireLines', () => {
  it('writes characters outside ASCII in text and attributes as numeric references', () => {
    expect(wireLines('<p title="Zoë">Yes · No ’ 🦵</p>')).toBe(
      '<p title="Zo&#235;">Yes &#183; No &#8217; &#129461;</p>',
    );
  });

  it('keeps CSS and comments as written, even outside ASCII', () => {
    const html = '<style>a::before{content:"·"}</style><!-- é -->';
    expect(wireLines(html)).toBe(html);
  });

  it('breaks long lines only at spaces already there: between attributes, in text and in CSS', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const attrs = Array.from({ length: 12 }, (_, i) => `data-a${i}="v ${i}"`).join(' ');
    const html = `<style>.a .b{color:red} .c .d{margin:0 0 16px} ${'.e .f{padding:1px 2px} '.repeat(6)}</style><div ${attrs}>${words}</div>`;
    const out = wireLines(html);
    expect(out.replace(/\n/g, ' ')).toBe(html);
    for (const line of lines(out)) expect(line.length).toBeLessThanOrEqual(WIRE_LINE);
    expect(lines(out).length).toBeGreaterThan(5);
    // Never inside a quoted value.
    expect(out).not.toMatch(/="v\n/);
  });

  it('leaves a run longer than a line whole and breaks at the next space', () => {
    const url = `https://example.org/${'x'.repeat(150)}`;
    const out = wireLines(`<a href="${url}" style="color:red">Read it</a>`);
    expect(lines(out)).toEqual([`<a`, `href="${url}"`, 'style="color:red">Read it</a>']);
  });

  it('breaks inside Outlook’s conditional comments only between attributes, never in the condition', () => {
    const attrs = Array.from({ length: 10 }, (_, i) => `width="${i}00"`).join(' ');
    const html = `<!--[if mso | IE]><table role="presentation" ${attrs}><tr><td class="" style="x:y;"><![endif]-->`;
    const out = wireLines(html);
    expect(out.replace(/\n/g, ' ')).toBe(html);
    expect(out.startsWith('<!--[if mso | IE]><table')).toBe(true);
    for (const line of lines(out)) expect(line.length).toBeLessThanOrEqual(WIRE_LINE);
  });

  it('does not break text where whitespace is drawn as written', () => {
    const text = 'a '.repeat(100);
    const html = `<div style="white-space:pre-wrap">${text}</div>`;
    const out = wireLines(html);
    // The tag may break between its name and attribute; the text keeps every space.
    expect(out.replace(/\n/g, ' ')).toBe(html);
    expect(out.slice(out.indexOf('>'))).not.toContain('\n');
  });

  it('never starts a line with "From " (mbox relays would mangle it)', () => {
    const html = `<p>${'aaaa '.repeat(14)}From here on</p>`;
    const out = wireLines(html);
    expect(out.replace(/\n/g, ' ')).toBe(html);
    expect(out).not.toMatch(/\nFrom /);
  });
});
