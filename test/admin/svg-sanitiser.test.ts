import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { sanitiseSvg } from '../../src/modules/admin/svg-sanitiser.js'

const NS = 'xmlns="http://www.w3.org/2000/svg"'
const XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'

function clean(input: string): { svg: string; removed: string[] } {
  const result = sanitiseSvg(input)
  assert.ok(result.ok, `refused: ${result.ok ? '' : result.reason}`)
  return result
}

function refused(input: string): string {
  const result = sanitiseSvg(input)
  assert.ok(!result.ok, `accepted: ${result.ok ? result.svg : ''}`)
  return result.reason
}

describe('SVG sanitiser: hostile inputs', () => {
  it('keeps a plain drawing as it is (attributes, gradients by url(#id), use by #id, text escaped)', () => {
    const { svg, removed } = clean(
      `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg ${NS} ${XLINK} viewBox="0 0 20 20"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient><path id="p" d="M0 0h5v5z"/></defs><rect width="20" height="20" fill="url(#g)"/><use xlink:href="#p"/><text x="1" y="15">A &amp; B &lt;C&gt;</text></svg>`,
    )
    assert.equal(
      svg,
      `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 20"><defs><linearGradient id="g"><stop offset="0" stop-color="#fff"></stop></linearGradient><path id="p" d="M0 0h5v5z"></path></defs><rect width="20" height="20" fill="url(#g)"></rect><use href="#p"></use><text x="1" y="15">A &amp; B &lt;C&gt;</text></svg>\n`,
    )
    assert.deepEqual(removed, ['DOCTYPE'])
  })

  it('removes scripts in any spelling: CDATA, another prefix bound to the SVG namespace, animations that set href', () => {
    const { svg, removed } = clean(
      `<svg ${NS} ${XLINK} xmlns:s="http://www.w3.org/2000/svg"><script><![CDATA[alert(1)]]></script><s:script>alert(2)</s:script><a id="x"><set attributeName="href" to="javascript:alert(3)"/><animate attributeName="xlink:href" values="javascript:alert(4)"/><rect width="1" height="1"/></a><handler xmlns="http://www.w3.org/2001/xml-events" event="load">alert(5)</handler></svg>`,
    )
    assert.doesNotMatch(svg, /alert|script|set|animate|handler/)
    assert.deepEqual(removed, ['element <a>', 'element <handler>', 'element <s:script>', 'element <script>'])
  })

  it('removes every event handler and attribute of another namespace, whatever the case', () => {
    const { svg } = clean(
      `<svg ${NS} xmlns:ev="http://www.w3.org/2001/xml-events" onLoad="a()" ONCLICK="b()"><rect onmouseover="c()" ev:event="click" width="1"/></svg>`,
    )
    assert.equal(svg, `<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"></rect></svg>\n`)
  })

  it('removes external references: href, xlink:href, data: URLs, url() in attributes and styles, escaped url()', () => {
    const { svg, removed } = clean(
      `<svg ${NS} ${XLINK}><use href="https://evil.example/s.svg#a"/><use xlink:href="data:image/svg+xml;base64,PHN2Zz4="/><use href=" //evil.example/x#a"/><rect fill="url(https://evil.example/p)" mask="url('#m')" clip-path="url( #c )" style="fill:u\\72l(https://evil.example);stroke:red;background-image:url(#ok)"/><pattern href="https://evil.example/p"/><linearGradient xlink:href="#g2"/><image href="x.png"/><feImage href="https://evil.example"/></svg>`,
    )
    assert.doesNotMatch(svg, /evil|data:|\\|background|feImage|image/)
    assert.match(svg, /mask="url\('#m'\)"/)
    assert.match(svg, /clip-path="url\( #c \)"/)
    assert.match(svg, /style="stroke:red"/)
    assert.ok(removed.includes('href to an external resource'))
    assert.ok(removed.includes('xlink:href to an external resource'))
    assert.ok(removed.includes('xlink:href on <linearGradient>'))
  })

  it('removes <style>, foreignObject (with the HTML in it), comments, processing instructions and stray text', () => {
    const { svg, removed } = clean(
      `<?xml-stylesheet href="https://evil.example/s.css"?><svg ${NS}><!-- hello --><style>@import url(https://evil.example/x.css);</style><foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/></foreignObject>stray<g><title>Logo</title></g></svg>`,
    )
    assert.equal(svg, `<svg xmlns="http://www.w3.org/2000/svg"><g><title>Logo</title></g></svg>\n`)
    assert.deepEqual(removed, [
      'element <foreignObject>',
      'element <style>',
      'processing instruction xml-stylesheet',
      'text outside a text element',
    ])
  })

  it('an attribute value cannot break out of its quotes', () => {
    const { svg } = clean(`<svg ${NS}><rect id="a&quot; onload=&quot;x()" fill="&lt;/svg&gt;"/></svg>`)
    assert.equal(svg, `<svg xmlns="http://www.w3.org/2000/svg"><rect id="a&quot; onload=&quot;x()"></rect></svg>\n`)
  })

  it('refuses entity declarations (billion laughs, external entities), other roots, malformed XML, runaway documents', () => {
    assert.match(
      refused(
        `<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><svg ${NS}><text>&c;</text></svg>`,
      ),
      /entity|DOCTYPE/,
    )
    assert.match(refused(`<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg ${NS}/>`), /DOCTYPE/)
    assert.match(refused('<svg/>'), /root element/)
    assert.match(refused(`<html xmlns="http://www.w3.org/1999/xhtml"/>`), /root element/)
    assert.match(refused(`<svg ${NS}><rect>`), /not well-formed/)
    assert.match(refused(`<svg ${NS}/><svg ${NS}/>`), /not well-formed/)
    assert.match(refused('just text'), /not well-formed|no <svg>/)
    assert.match(refused(`<svg ${NS}>${'<g>'.repeat(100)}${'</g>'.repeat(100)}</svg>`), /nested deeper/)
    assert.match(refused(`<svg ${NS}>${'<rect/>'.repeat(10_001)}</svg>`), /more than 10000 elements/)
  })
})
