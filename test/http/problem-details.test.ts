import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ERROR_CATALOGUE } from '../../src/errors.js'
import { describeEachBackend, type HttpResponse, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'

const PARTNERS = '/api/admin/partners'
const VALID_PARTNER = { name: 'Acme', display_name: 'Acme', scopes: ['write.education'] }

/** A raw body to the admin "create partner" route, a JSON route, with the admin token. */
const postRaw = (t: TestApp, body: string | Buffer, contentType = 'application/json') =>
  t.request('POST', PARTNERS, { body, token: t.deps.adminToken, headers: { 'content-type': contentType } })

function assertSecurityHeaders(response: HttpResponse): void {
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
  assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/)
}

describeEachBackend('HTTP: problem details and operational endpoints', (use) => {
  test('an unknown route → 404 problem whose instance is the path, query string never echoed', async () => {
    // A value no request id (a UUID) can hold: 'abc' once matched one.
    const response = await use().request('GET', '/nope?secret=query-value-never-echoed')
    assertProblem(response, 404, 'not_found')
    assert.equal(response.body.instance, '/nope')
    assert.ok(!response.text.includes('query-value-never-echoed'), response.text)
  })

  test('an unsupported method on a known path → 4xx problem', async () => {
    const response = await use().request('DELETE', '/healthz')
    assert.ok(response.status === 404 || response.status === 405, `got ${response.status}`)
    assertProblem(response, response.status, response.status === 404 ? 'not_found' : 'method_not_allowed')
  })

  test('malformed JSON → 400 /problems/malformed_json, without echoing the body', async () => {
    for (const body of [
      '{"name": "Acme",',
      '{"name": SECRETVALUE}',
      '{"name": "SECRETVALUE"',
      "{'name': 'SECRETVALUE'}",
    ]) {
      const response = await postRaw(use(), body)
      assertProblem(response, 400, 'malformed_json')
      assert.equal(response.body.instance, PARTNERS)
      assert.ok(!response.text.includes('SECRETVALUE'), response.text)
    }
  })

  test('an empty JSON body → 400 /problems/malformed_json', async () => {
    assertProblem(await postRaw(use(), ''), 400, 'malformed_json')
  })

  test('Content-Type text/plain → 415 /problems/unsupported_media_type', async () => {
    assertProblem(await postRaw(use(), JSON.stringify(VALID_PARTNER), 'text/plain'), 415, 'unsupported_media_type')
  })

  test('an unknown content type → 415 /problems/unsupported_media_type', async () => {
    assertProblem(await postRaw(use(), '<partner/>', 'application/xml'), 415, 'unsupported_media_type')
  })

  test('10 000 levels of nested JSON → 4xx, not 500', async () => {
    const t = use()
    for (const body of ['['.repeat(10_000) + ']'.repeat(10_000), `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`]) {
      const response = await postRaw(t, body)
      assert.ok(response.status >= 400 && response.status < 500, `got ${response.status}`)
      assertProblem(response, response.status, response.body.type.slice('/problems/'.length))
    }
    assert.equal((await t.request('GET', '/healthz')).status, 200)
  })

  test('JSON with a __proto__ or constructor.prototype key, plain, spaced or \\u-escaped → 400 malformed_json, and no prototype is polluted', async () => {
    const bodies = [
      '{"name":"Acme","scopes":["write.education"],"__proto__":{"polluted":true}}',
      '{"name":"Acme","scopes":["write.education"],"constructor":{"prototype":{"polluted":true}}}',
      // Spelled with \u escapes, and spaced out: the input guard's fast path (no \u escape, neither
      // key spelled out) must not take these.
      '{"name":"Acme","scopes":["write.education"],"\\u005f_proto__":{"polluted":true}}',
      '{"name":"Acme","scopes":["write.education"],"__pr\\u006fto__":{"polluted":true}}',
      '{"name":"Acme","scopes":["write.education"],"\\u0063onstructor":{"prototype":{"polluted":true}}}',
      '{"name":"Acme","scopes":["write.education"] , "__proto__" : {"polluted":true}}',
      '{"name":"Acme","scopes":["write.education"],\n"constructor"\n:\n{"prototype":{"polluted":true}}}',
    ]
    for (const body of bodies) {
      const response = await postRaw(use(), body)
      // Refused by the JSON parser itself, before any schema could see the key.
      assertProblem(response, 400, 'malformed_json')
      // Said for what it is: valid JSON, with a member refused on purpose.
      assert.match(
        response.body.detail,
        /member named "__proto__" \(or a "constructor" holding "prototype"\), which is refused/,
      )
      assert.equal(({} as Record<string, unknown>).polluted, undefined)
    }
  })

  test('every error response: problem+json, type, title, status = HTTP status, request_id = x-request-id', async () => {
    const t = use()
    const cases: Array<[Promise<HttpResponse>, number, string]> = [
      [t.request('GET', '/does/not/exist'), 404, 'not_found'],
      [t.request('GET', PARTNERS), 401, 'unauthorized'],
      [t.request('GET', '/api/partner/v1/me.json'), 401, 'unauthorized'],
      [t.request('GET', '/api/partner/v1/me.json', { token: 'garbage' }), 401, 'unauthorized'],
      [postRaw(t, '{'), 400, 'malformed_json'],
      [t.request('POST', PARTNERS, { token: t.deps.adminToken, json: {} }), 400, 'validation'],
      [t.request('GET', `${PARTNERS}/not-a-uuid`, { token: t.deps.adminToken }), 400, 'invalid_parameter'],
      [postRaw(t, '<x/>', 'application/xml'), 415, 'unsupported_media_type'],
      [t.request('GET', '/problems/nope'), 404, 'not_found'],
    ]
    for (const [pending, status, code] of cases) {
      const response = await pending
      assertProblem(response, status, code)
      assert.equal(typeof response.body.instance, 'string')
      assertSecurityHeaders(response)
    }
  })

  test('each request gets its own server-generated request id (a client-sent one is not trusted)', async () => {
    const t = use()
    const a = await t.request('GET', '/nope', {
      headers: { 'x-request-id': 'client-chosen', 'request-id': 'client-chosen' },
    })
    const b = await t.request('GET', '/nope')
    assert.notEqual(a.body.request_id, 'client-chosen')
    assert.notEqual(a.body.request_id, b.body.request_id)
  })

  test('/problems/{code} serves an HTML page for every catalogued problem; unknown → 404 problem', async () => {
    const t = use()
    for (const [code, entry] of Object.entries(ERROR_CATALOGUE)) {
      const response = await t.request('GET', `/problems/${code}`)
      assert.equal(response.status, 200, code)
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
      assert.ok(response.text.includes(entry.title.replace(/&/g, '&amp;')), code)
      assert.ok(response.text.includes(`/problems/${code}`), code)
    }
    const unknown = await t.request('GET', '/problems/nope')
    assertProblem(unknown, 404, 'not_found')
  })

  test('security headers are sent on success and error responses', async () => {
    for (const url of ['/healthz', '/openapi.json', '/nope', '/problems/validation']) {
      assertSecurityHeaders(await use().request('GET', url))
    }
  })

  test('a page that sets its own Content-Security-Policy sends that one only (a second policy would be enforced too)', async () => {
    const t = use()
    for (const [url, own] of [
      ['/holder/sign-in', /form-action 'self'/],
      ['/problems/validation', /style-src 'sha256-/],
    ] as const) {
      const csp = (await t.request('GET', url)).headers.get('content-security-policy') ?? ''
      assert.match(csp, own, url)
      assert.doesNotMatch(csp, /,/, `${url}: two policies: ${csp}`)
    }
  })

  test('Strict-Transport-Security over https only (X-Forwarded-Proto), router errors included', async () => {
    const t = use()
    const https = { headers: { 'x-forwarded-proto': 'https' } }
    for (const url of ['/healthz', '/nope', '/holder/documents/%E0%A4%A']) {
      assert.equal((await t.request('GET', url)).headers.get('strict-transport-security'), null, url)
      const secure = await t.request('GET', url, https)
      assert.equal(secure.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', url)
      assertSecurityHeaders(secure)
    }
  })

  test("a problem page's Content-Security-Policy allows its own inline style", async () => {
    const response = await use().request('GET', '/problems/validation')
    assert.match(response.text, /<style>/)
    const csp = response.headers.get('content-security-policy') ?? ''
    const styleSrc = /(?:^|;)\s*style-src([^;]*)/.exec(csp)?.[1] ?? ''
    assert.match(styleSrc, /'unsafe-inline'|'sha(256|384|512)-|'nonce-/, `inline <style> is blocked by: ${csp}`)
  })

  test('a path that is not valid percent-encoded UTF-8, or an over-long path parameter → 400 problem with the security headers', async () => {
    const t = use()
    for (const [path, detail] of [
      ['/holder/documents/%E0%A4%A', 'The path is not valid percent-encoded UTF-8'],
      ['/api/partner/v1/submissions/%E0%A4%A/status.json', 'The path is not valid percent-encoded UTF-8'],
      [`/api/partner/v1/submissions/${'x'.repeat(600)}/status.json`, 'A path parameter is longer than 500 characters'],
    ]) {
      const response = await t.request('GET', path!)
      assertProblem(response, 400, 'invalid_parameter')
      assert.equal(response.body.detail, detail)
      assertSecurityHeaders(response)
      assert.equal(response.headers.get('x-request-id'), response.body.request_id)
    }
  })

  test('a NUL or an unpaired surrogate in a path parameter, a query parameter or HTTP Basic credentials → 4xx, never 500', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t)
    const nul = await t.request('GET', '/api/partner/v1/submissions/a%00b/status.json', { token })
    assertProblem(nul, 400, 'invalid_parameter')
    assert.deepEqual(
      nul.body.errors.map((e: any) => [e.pointer, e.in, e.message]),
      [['/id', 'path', 'must not contain the NUL character (\\u0000)']],
    )
    // An encoded surrogate is not UTF-8 at all: the router refuses it.
    assertProblem(
      await t.request('GET', '/api/partner/v1/submissions/a%ED%A0%80b/status.json', { token }),
      400,
      'invalid_parameter',
    )
    const revoke = await t.request('POST', '/api/admin/clients/a%00b/revoke', { token: t.deps.adminToken })
    assertProblem(revoke, 400, 'invalid_parameter')
    const query = await t.request('GET', '/holder/sign-in?lang=a%00b')
    assert.equal(query.status, 400)
    const basic = Buffer.from('cpc_a%00b:secret').toString('base64')
    const issued = await t.request('POST', '/api/partner/v1/oauth/token.json', {
      body: 'grant_type=client_credentials',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    })
    assert.equal(issued.status, 401, issued.text)
    assert.equal(issued.body.error, 'invalid_client')
  })

  test('/healthz and /readyz → 200 {status: ok}', async () => {
    for (const url of ['/healthz', '/readyz']) {
      const response = await use().request('GET', url)
      assert.equal(response.status, 200, url)
      assert.deepEqual(response.body, { status: 'ok' })
    }
  })

  test('/openapi.json is OpenAPI 3.1 and documents the token and admin routes', async () => {
    const response = await use().request('GET', '/openapi.json')
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    assert.match(response.body.openapi, /^3\.1\./)
    assert.ok(response.body.paths['/api/partner/v1/oauth/token.json']?.post)
    assert.ok(response.body.paths['/api/admin/partners']?.post)
    assert.ok(response.body.paths['/api/admin/partners']?.get)
  })

  test('/docs serves the API documentation page', async () => {
    const response = await use().request('GET', '/docs')
    assert.equal(response.status, 200)
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
  })
})

describeEachBackend(
  'HTTP: body size limit (BODY_LIMIT=2kb)',
  (use) => {
    test('a JSON body within the limit is accepted', async () => {
      const response = await postRaw(use(), JSON.stringify(VALID_PARTNER))
      assert.equal(response.status, 201, response.text)
    })

    test('a 10 KB JSON body → 413 /problems/body_too_large', async () => {
      const body = JSON.stringify({ ...VALID_PARTNER, name: 'x'.repeat(10 * 1024) })
      const response = await postRaw(use(), body)
      assertProblem(response, 413, 'body_too_large')
      assert.equal(response.body.instance, PARTNERS)
    })
  },
  { BODY_LIMIT: '2kb' },
)
