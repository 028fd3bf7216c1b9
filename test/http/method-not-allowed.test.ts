import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { describeEachBackend, type HttpResponse } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'

const V2_BATCH = '/api/partner/v2/add/requests/batch.json'
/** A v2 add path also takes DELETE: `DELETE /api/partner/v2/add/requests/{id}` withdraws a submission. */
const V2_ADD_ALLOW = 'POST, DELETE'
const TOKEN = '/api/partner/v1/oauth/token.json'

/** Asserts a 405 problem whose `Allow` header and `allow` member list exactly `allow`. */
function assertMethodNotAllowed(response: HttpResponse, method: string, path: string, allow: string): void {
  assertProblem(response, 405, 'method_not_allowed')
  assert.equal(response.headers.get('allow'), allow, `${method} ${path}`)
  assert.deepEqual(response.body.allow, allow.split(', '))
  assert.equal(response.body.detail, `${path} does not take ${method}; it takes ${allow}`)
  assert.equal(response.body.instance, path)
}

/** The response headers that do not vary from one answer to the next. */
function steadyHeaders(response: HttpResponse): Record<string, string> {
  const varying = new Set(['allow', 'date', 'content-length', 'x-request-id', 'connection', 'keep-alive'])
  const steady: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    if (!varying.has(name)) steady[name] = value
  })
  return steady
}

describeEachBackend('HTTP: 405 Method Not Allowed', (use) => {
  test('a known path with a method it does not take → 405 whose Allow lists the methods it takes', async () => {
    const t = use()
    const id = randomUUID()
    const cases: Array<[string, string, string]> = [
      // A partner POST route, GET-only routes.
      ['GET', V2_BATCH, V2_ADD_ALLOW],
      ['PUT', '/api/partner/v1/add/education.json', 'POST'],
      ['POST', '/api/partner/v1/me.json', 'GET, HEAD'],
      ['POST', '/healthz', 'GET, HEAD'],
      // Parameterised routes.
      ['POST', `/api/partner/v1/submissions/${id}/status.json`, 'GET, HEAD'],
      ['DELETE', `/api/admin/partners/${id}`, 'GET, HEAD, PATCH'],
      ['POST', `/api/admin/partners/${id}/logo`, 'PUT, DELETE'],
      ['POST', `/issuers/${id}/logo`, 'GET, HEAD'],
      ['GET', `/api/partner/v2/uploads/${id}`, 'PUT'],
      ['POST', '/problems/not_found', 'GET, HEAD'],
      // The catch-alls that answer a helpful 404 for unknown credential types.
      ['GET', '/api/partner/v2/add/requests/whatever', V2_ADD_ALLOW],
      ['GET', '/api/partner/v1/add/whatever.json', 'POST'],
      // Paths served under several methods.
      ['PUT', '/api/admin/partners', 'GET, HEAD, POST'],
      ['DELETE', '/holder/sign-in', 'GET, HEAD, POST'],
      ['GET', '/holder/review/decision', 'POST'],
      // The `/` route of a prefixed plugin, also served with the slash.
      ['POST', '/docs', 'GET, HEAD'],
      ['POST', '/docs/', 'GET, HEAD'],
    ]
    for (const [method, path, allow] of cases) {
      assertMethodNotAllowed(await t.request(method, path), method, path, allow)
    }
  })

  test('OPTIONS is not served (no CORS): 405 with the Allow of the path, OPTIONS not in it', async () => {
    const response = await use().request('OPTIONS', V2_BATCH)
    assertMethodNotAllowed(response, 'OPTIONS', V2_BATCH, V2_ADD_ALLOW)
  })

  test('the query string is neither matched nor echoed', async () => {
    // Not hex: it cannot turn up by chance inside the answer's random request id (as "abc" once did).
    const response = await use().request('GET', `${V2_BATCH}?secret=quixotic`)
    assertMethodNotAllowed(response, 'GET', V2_BATCH, V2_ADD_ALLOW)
    assert.ok(!response.text.includes('quixotic'), response.text)
  })

  test('a 405 carries the same headers as a 404 (security headers, problem+json), plus Allow', async () => {
    const t = use()
    const notFound = await t.request('GET', '/nope')
    assertProblem(notFound, 404, 'not_found')
    const response = await t.request('GET', V2_BATCH)
    assertProblem(response, 405, 'method_not_allowed')
    assert.deepEqual(steadyHeaders(response), steadyHeaders(notFound))
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(response.headers.get('x-frame-options'), 'DENY')
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer')
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/)
    assert.equal(response.headers.get('x-request-id'), response.body.request_id)
    assert.equal(notFound.headers.get('allow'), null)
  })

  test('HEAD is served wherever GET is; HEAD on a path without GET → 405 without a body', async () => {
    const t = use()
    const head = await t.request('HEAD', '/healthz')
    assert.equal(head.status, 200)
    assert.equal(head.headers.get('allow'), null)
    // A GET partner route: HEAD reaches its authentication, no 405.
    assertProblem(await t.request('GET', '/api/partner/v1/me.json'), 401, 'unauthorized')
    assert.equal((await t.request('HEAD', '/api/partner/v1/me.json')).status, 401)
    const post = await t.request('HEAD', V2_BATCH)
    assert.equal(post.status, 405)
    assert.equal(post.headers.get('allow'), V2_ADD_ALLOW)
    assert.equal(post.text, '')
  })

  test('a path no route matches under any method is still a 404, without Allow', async () => {
    const t = use()
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/nope'],
      ['GET', '/api/partner/v3/add/requests/batch.json'],
      // Router options as Fastify's: no trailing-slash or case folding.
      ['GET', `${V2_BATCH}/`],
      ['GET', V2_BATCH.toUpperCase()],
      ['POST', '/healthz/'],
      // Below the static files' wildcard (/docs/static/*), which answers 404 itself for most paths.
      ['POST', '/docs/static/no-such-file.js'],
    ]) {
      const response = await t.request(method!, path!)
      assertProblem(response, 404, 'not_found')
      assert.equal(response.headers.get('allow'), null, `${method} ${path}`)
      assert.equal(response.body.detail, `No route for ${method} ${path}`)
    }
  })

  test('a partner route with the wrong method → 405 before authentication: no token needed, none looked at', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t)
    for (const options of [{}, { token: 'garbage' }, { token }]) {
      const response = await t.request('GET', V2_BATCH, options)
      assertMethodNotAllowed(response, 'GET', V2_BATCH, V2_ADD_ALLOW)
      assert.equal(response.headers.get('www-authenticate'), null)
    }
    // The right method still needs a token.
    assertProblem(await t.request('POST', V2_BATCH, { json: {} }), 401, 'unauthorized')
    const admin = await t.request('DELETE', '/api/admin/partners')
    assertMethodNotAllowed(admin, 'DELETE', '/api/admin/partners', 'GET, HEAD, POST')
  })

  test('the wrong method on the token endpoint is a 405 in the OAuth error format (spec §7), with Allow', async () => {
    const t = use()
    for (const method of ['GET', 'DELETE', 'PUT', 'OPTIONS']) {
      const response = await t.request(method, TOKEN)
      assert.equal(response.status, 405)
      assert.equal(response.headers.get('allow'), 'POST')
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
      assert.equal(response.headers.get('cache-control'), 'no-store')
      assert.deepEqual(response.body, {
        error: 'invalid_request',
        error_description: `The token endpoint takes POST, not ${method}`,
      })
    }
  })

  test('/problems/method_not_allowed explains the Allow header', async () => {
    const response = await use().request('GET', '/problems/method_not_allowed')
    assert.equal(response.status, 200)
    assert.match(response.text, /HTTP 405/)
    assert.match(response.text, /<code>Allow<\/code>/)
  })
})
