import { describe, expect, it } from 'vitest';
import { compactHtml } from '../../src/render/compact-html.ts';

describe('compactHtml', () => {
  it('drops indentation beside block and table tags, keeps one space between inline ones and in text', () => {
    const html = [
      '<table>',
      '  <tr>',
      '    <td\n      align="left"\n      style="padding:0 32px;"\n    >',
      '      <div>Hi %%ncw:greeting%%, <strong>one</strong>',
      '        <a href="%%ncw:unsubscribeUrl%%">two</a>\n  and\n  three</div>',
      '    </td>',
      '  </tr>',
      '</table>',
    ].join('\n');
    expect(compactHtml(html)).toBe(
      '<table><tr><td align="left" style="padding:0 32px;"><div>Hi %%ncw:greeting%%, <strong>one</strong> <a href="%%ncw:unsubscribeUrl%%">two</a> and three</div></td></tr></table>',
    );
  });

  it('keeps quoted values, escaped text and spaces without a line break exactly', () => {
    const html = '<p title="a\n  b">Tom &amp;  Jerry &lt;3</p>\n<p>x</p>';
    expect(compactHtml(html)).toBe('<p title="a\n  b">Tom &amp;  Jerry &lt;3</p><p>x</p>');
  });

  it('compacts <style> and Outlook’s conditional comments without changing a selector', () => {
    const html =
      '<style>\n  .page > div a :hover { color: red; }\n  @media (max-width:480px) {\n    a { color: blue; }\n  }\n</style>\n<!--[if mso]>\n  <table>\n    <tr><td> &nbsp;\n</td></tr>\n  </table>\n<![endif]-->';
    expect(compactHtml(html)).toBe(
      '<style>.page > div a :hover{color:red;}@media (max-width:480px){a{color:blue;}}</style><!--[if mso]><table><tr><td> &nbsp; </td></tr></table><![endif]-->',
    );
  });

  it('leaves an email whose whitespace is drawn as written (pre, pre-wrap) as it is', () => {
    const html = '<div>\n  <p style="white-space:pre-wrap;">a\n  b</p>\n</div>';
    expect(compactHtml(html)).toBe(html);
    expect(compactHtml('<pre>\n x\n</pre>')).toBe('<pre>\n x\n</pre>');
  });
});
