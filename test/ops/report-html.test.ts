// The report's one HTML writer: whatever a record holds becomes text, never markup.
import { escapeHtml, joinHtml, markup, raw } from '../../lib/ops/report-html';

const HOSTILE = `<img src=x onerror="alert(1)">'&"`;

describe('markup``', () => {
  it('escapes every interpolated text, in element content and in attributes', () => {
    const out = markup`<td title="${HOSTILE}">${HOSTILE}</td>`.text;
    expect(out).toBe(
      '<td title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&quot;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;&quot;</td>',
    );
    expect(out).not.toMatch(/<img/);
  });

  it('keeps markup made by markup`` or raw(), and escapes the texts inside lists', () => {
    const inner = markup`<b>${'<i>'}</b>`;
    expect(markup`<p>${inner}${[inner, '<u>']}${raw('&#9650;')}</p>`.text).toBe(
      '<p><b>&lt;i&gt;</b><b>&lt;i&gt;</b>&lt;u&gt;&#9650;</p>',
    );
  });

  it('writes numbers as they are and leaves nothing for absent values or flags', () => {
    expect(markup`${0}|${12.5}|${NaN}|${Infinity}|${null}|${undefined}|${false}|${true}`.text).toBe(
      '0|12.5||||||',
    );
  });

  it('treats a value that merely looks like Html (a record can hold any JSON) as text', () => {
    const forged = { text: '<script>x()</script>' } as unknown as string;
    expect(markup`${forged}`.text).toBe('[object Object]');
    expect(joinHtml(['<a>', markup`<b>`], ' & ').text).toBe('&lt;a&gt; &amp; <b>');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
