import { describe, expect, it } from 'vitest';
import { compactHtml } from '../../src/render/compact-html.ts';
import { compileMjml } from '../../src/render/mjml.ts';
import { unwrapSingleColumns } from '../../src/render/single-columns.ts';

/** MJML 5's own output for `sections`, compacted, as compile-email.ts has it before unwrapping. */
async function mjmlOutput(sections: string): Promise<string> {
  return compactHtml(
    await compileMjml(
      `<mjml><mj-head><mj-attributes><mj-column padding="0" /></mj-attributes></mj-head><mj-body width="600px">${sections}</mj-body></mjml>`,
    ),
  );
}

const body = (html: string) => html.slice(html.indexOf('<body'));
const count = (html: string, s: string) => html.split(s).length - 1;

const PLAIN = `<mj-section background-color="#ffffff" css-class="card"><mj-column>
  <mj-text><div class="box"><div>nested</div></div><p>plain one</p></mj-text>
  <mj-text>second</mj-text>
</mj-column></mj-section>`;
const CALLOUT = `<mj-section><mj-column css-class="callout" background-color="#f3f6f9" padding="16px 0">
  <mj-text>callout</mj-text>
</mj-column></mj-section>`;

describe('unwrapSingleColumns', () => {
  it('puts a plain full-width column’s content table in its section’s cell, and keeps the section', async () => {
    const before = await mjmlOutput(PLAIN);
    const after = unwrapSingleColumns(before);
    expect(count(body(before), 'mj-column-per-100')).toBe(1);
    expect(after).not.toContain('mj-column-per-100');
    // The section's cell now holds the content table; the section's Outlook table and div stay.
    expect(after).toMatch(
      /<td style="direction:ltr;font-size:0px;padding:[^"]*;text-align:center;"><table border="0" cellpadding="0" cellspacing="0" role="presentation" width="100%"><tr><td align="left"/,
    );
    expect(after).toContain('class="card-outlook" role="presentation" style="width:600px;" width="600"');
    expect(after).toContain('<div class="card" style="');
    // Every div the content opened is still there and closed: nothing of the text was cut.
    expect(count(after, '<div')).toBe(count(before, '<div') - 1);
    expect(count(after, '</div>')).toBe(count(after, '<div'));
    expect(after).toContain('<div class="box"><div>nested</div></div><p>plain one</p>');
    expect(after).toContain('second</div></td></tr></table></td></tr></table></div>');
    // The column CSS goes with the last column that used it.
    expect(after).not.toMatch(/mj-outlook-group-fix|\.moz-text-html/);
    expect(after.length).toBeLessThan(before.length - 450);
  });

  it('leaves a column with a class, padding or background as MJML wrote it, and its CSS', async () => {
    const before = await mjmlOutput(PLAIN + CALLOUT);
    const after = unwrapSingleColumns(before);
    expect(count(body(after), 'mj-column-per-100')).toBe(1);
    expect(after).toContain('class="mj-column-per-100 mj-outlook-group-fix callout"');
    expect(after).toContain('<td class="callout-outlook" style="vertical-align:top;width:600px;" >');
    expect(after).toContain('.mj-column-per-100{width:100% !important;max-width:100%;}');
    expect(after).toContain('.mj-outlook-group-fix { width:100% !important; }');
  });

  it('drops tbody tags and empty style attributes, never inside a comment', async () => {
    const before = await mjmlOutput(PLAIN);
    expect(before).toContain('<tbody>');
    expect(before).toContain(' style=""');
    const after = unwrapSingleColumns(before.replace('</body>', '<!--[if mso]><tbody> style=""<![endif]--></body>'));
    expect(body(after).replace(/<!--[\s\S]*?-->/g, '')).not.toMatch(/<\/?tbody>| style=""/);
    expect(after).toContain('<!--[if mso]><tbody> style=""<![endif]-->');
  });

  it('leaves a column alone when its end is not the markup MJML writes', async () => {
    const before = await mjmlOutput(PLAIN);
    const broken = before.replace('</div><!--[if mso | IE]></td></tr></table><![endif]-->', '</div><!-- other -->');
    const after = unwrapSingleColumns(broken);
    expect(count(body(after), 'mj-column-per-100')).toBe(1);
    expect(after).toContain('<td style="vertical-align:top;padding:0;">');
  });
});
