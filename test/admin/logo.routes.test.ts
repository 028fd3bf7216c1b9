import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'
import { LOGO_MAX_BYTES } from '../../src/modules/admin/admin.schemas.js'
import { describeEachBackend, type RequestOptions, type TestApp } from '../support/app.js'
import { makePartner } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'

const PNG = fs.readFileSync(new URL('../fixtures/documents/pixel.png', import.meta.url))
const JPEG = fs.readFileSync(new URL('../fixtures/documents/pixel.jpg', import.meta.url))
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000'
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Uni A</title><rect width="10" height="10" fill="#123456"/></svg>`
const HOSTILE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10" onload="alert(1)">
<script>alert(document.cookie)</script>
<style>@import url(https://evil.example/x.css); rect { fill: url(https://evil.example/p) }</style>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml" onclick="alert(2)">x</div></foreignObject>
<image href="https://evil.example/track.png" width="1" height="1"/>
<a xlink:href="javascript:alert(3)"><rect width="5" height="5"/></a>
<rect width="10" height="10" fill="url(https://evil.example/f)" onclick="alert(4)" style="fill:#fff;behavior:url(x.htc)"/>
<use xlink:href="https://evil.example/sprite.svg#icon"/>
<circle r="3" fill="#abcdef"/>
</svg>`

const logoPath = (partnerId: string) => `/api/admin/partners/${partnerId}/logo`
const admin = (t: TestApp, method: string, url: string, options: RequestOptions = {}) =>
  t.request(method, url, { token: t.deps.adminToken, ...options })
const upload = (t: TestApp, partnerId: string, contentType: string, body: string | Buffer) =>
  admin(t, 'PUT', logoPath(partnerId), { body, headers: { 'content-type': contentType } })

describeEachBackend('admin API: partner logos', (use) => {
  test('a PNG → 200 with its URL, size and hash; the partner shows it; the logo is served as sent', async () => {
    const t = use()
    const partner = await makePartner(t)
    const response = await upload(t, partner.partner_id, 'image/png', PNG)
    assert.equal(response.status, 200, response.text)
    assert.deepEqual(response.body.removed, [])
    assert.equal(response.body.logo.content_type, 'image/png')
    assert.equal(response.body.logo.bytes, PNG.length)
    assert.match(response.body.logo.url, new RegExp(`^/issuers/${partner.partner_id}/logo\\?v=[0-9a-f]{16}$`))
    const view = await admin(t, 'GET', `/api/admin/partners/${partner.partner_id}`)
    assert.deepEqual(view.body.logo, response.body.logo)
    const served = await fetch(new URL(response.body.logo.url, t.baseUrl))
    assert.equal(served.status, 200)
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), PNG)
  })

  test('an SVG with scripts, handlers, foreignObject, styles and external references → stored sanitised, removals listed', async () => {
    const t = use()
    const partner = await makePartner(t)
    const response = await upload(t, partner.partner_id, 'image/svg+xml; charset=utf-8', HOSTILE_SVG)
    assert.equal(response.status, 200, response.text)
    for (const expected of [
      'element <script>',
      'element <style>',
      'element <foreignObject>',
      'element <image>',
      'element <a>',
      'event handler onload',
      'event handler onclick',
      'xlink:href to an external resource',
      'style declaration behavior',
    ])
      assert.ok(response.body.removed.includes(expected), `${expected} in ${response.body.removed}`)
    const served = await fetch(new URL(response.body.logo.url, t.baseUrl))
    const svg = await served.text()
    assert.equal(served.headers.get('content-type'), 'image/svg+xml')
    for (const forbidden of [
      /script/i,
      /\bon\w+=/i,
      /foreignObject/i,
      /evil/i,
      /javascript/i,
      /@import/i,
      /<style/i,
      /behavior/,
    ])
      assert.doesNotMatch(svg, forbidden)
    assert.match(svg, /<circle r="3" fill="#abcdef"><\/circle>/)
    assert.match(svg, /<rect width="10" height="10" style="fill:#fff"><\/rect>/)
  })

  test('an SVG that is not well-formed, has entity declarations or another root → 415 problem, nothing stored', async () => {
    const t = use()
    const partner = await makePartner(t)
    for (const [body, reason] of [
      ['<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', /not well-formed/],
      [
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&lol2;</text></svg>',
        /DOCTYPE|entity/,
      ],
      [
        '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&xxe;</svg>',
        /DOCTYPE|entity/,
      ],
      ['<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', /root element/],
      ['<svg><rect/></svg>', /root element/],
      ['', /not well-formed|no <svg>/],
      [Buffer.from([0x3c, 0x73, 0x76, 0x67, 0xff, 0xfe]), /UTF-8/],
    ] as const) {
      const response = await upload(t, partner.partner_id, 'image/svg+xml', body)
      assertProblem(response, 415, 'unsupported_media_type')
      assert.match(response.body.detail, reason)
    }
    assert.equal((await admin(t, 'GET', `/api/admin/partners/${partner.partner_id}`)).body.logo, null)
  })

  test('too large → 413 problem with the limit; another type, or bytes that are not a PNG → 415 problem', async () => {
    const t = use()
    const partner = await makePartner(t)
    const big = Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES)])
    const tooLarge = await upload(t, partner.partner_id, 'image/png', big)
    assertProblem(tooLarge, 413, 'body_too_large')
    assert.equal(tooLarge.body.limit, LOGO_MAX_BYTES)
    for (const [type, body, detail] of [
      ['image/jpeg', JPEG, /image\/png or image\/svg\+xml/],
      ['application/json', '{}', /image\/png or image\/svg\+xml/],
      ['image/png', JPEG, /not a PNG image \(they look like image\/jpeg\)/],
      ['image/png', Buffer.from(SVG), /not a PNG image/],
    ] as const) {
      const response = await upload(t, partner.partner_id, type, body)
      assertProblem(response, 415, 'unsupported_media_type')
      assert.match(response.body.detail, detail)
    }
    const none = await admin(t, 'PUT', logoPath(partner.partner_id))
    assertProblem(none, 415, 'unsupported_media_type')
  })

  test('an unknown partner → 404; DELETE removes the logo (then 404), and it is no longer served', async () => {
    const t = use()
    assertProblem(await upload(t, UNKNOWN_UUID, 'image/svg+xml', SVG), 404, 'not_found')
    assertProblem(await admin(t, 'DELETE', logoPath(UNKNOWN_UUID)), 404, 'not_found')
    const partner = await makePartner(t)
    const uploaded = await upload(t, partner.partner_id, 'image/svg+xml', SVG)
    assert.equal(uploaded.status, 200, uploaded.text)
    assert.deepEqual(uploaded.body.removed, [])
    const removed = await admin(t, 'DELETE', logoPath(partner.partner_id))
    assert.equal(removed.status, 204, removed.text)
    assertProblem(await admin(t, 'DELETE', logoPath(partner.partner_id)), 404, 'not_found')
    assert.equal((await fetch(new URL(uploaded.body.logo.url, t.baseUrl))).status, 404)
  })

  test('without the admin token → 401, whatever the body; a partner’s own token is no admin token', async () => {
    const t = use()
    const partner = await makePartner(t)
    for (const [method, headers] of [
      ['PUT', { 'content-type': 'image/svg+xml' }],
      ['DELETE', {}],
    ] as const) {
      const response = await t.request(method, logoPath(partner.partner_id), {
        headers: { ...headers, authorization: 'Bearer nope' },
        ...(method === 'PUT' ? { body: SVG } : {}),
      })
      assertProblem(response, 401, 'unauthorized')
    }
    assert.equal((await admin(t, 'GET', `/api/admin/partners/${partner.partner_id}`)).body.logo, null)
  })

  test('served logo: its type, nosniff, a sandboxing CSP, an ETag and long caching for the current version only', async () => {
    const t = use()
    const partner = await makePartner(t)
    const uploaded = await upload(t, partner.partner_id, 'image/svg+xml', SVG)
    const url = new URL(uploaded.body.logo.url, t.baseUrl)
    const served = await fetch(url)
    assert.equal(served.status, 200)
    assert.equal(served.headers.get('content-type'), 'image/svg+xml')
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff')
    const csp = served.headers.get('content-security-policy') ?? ''
    assert.match(csp, /default-src 'none'/)
    assert.match(csp, /(^|; )sandbox(;|$)/)
    assert.doesNotMatch(csp, /script-src/)
    assert.equal(served.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.equal(served.headers.get('etag'), `"${uploaded.body.logo.sha256}"`)
    assert.equal(served.headers.get('set-cookie'), null)
    // Another (or no) version: revalidated after five minutes; If-None-Match → 304.
    const stale = await fetch(new URL(`/issuers/${partner.partner_id}/logo`, t.baseUrl))
    assert.equal(stale.headers.get('cache-control'), 'public, max-age=300')
    const again = await fetch(url, { headers: { 'if-none-match': `"${uploaded.body.logo.sha256}"` } })
    assert.equal(again.status, 304)
    // Unknown partner, or no UUID: a plain 404.
    for (const missing of [`/issuers/${UNKNOWN_UUID}/logo`, '/issuers/nope/logo'])
      assert.equal((await fetch(new URL(missing, t.baseUrl))).status, 404, missing)
  })
})
