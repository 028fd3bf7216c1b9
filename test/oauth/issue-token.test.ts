import assert from 'node:assert/strict'
import { before, test } from 'node:test'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { ClientCredentials } from '../../src/modules/admin/admin.schemas.js'
import { describeEachBackend, type HttpResponse, type RequestOptions, type TestApp } from '../support/app.js'
import { makePartner } from '../support/factories.js'
import { revokeThroughAdmin } from '../support/security-suite.js'

const TOKEN = '/api/partner/v1/oauth/token.json'
const SCOPES = ['write.education', 'write.microcredential', 'read.submissions']
const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const sorted = (list: readonly string[]) => [...list].sort()

/** A token request with a form-encoded body. */
const postForm = (t: TestApp, params: Record<string, string> | string, headers: Record<string, string> = {}) =>
  t.request('POST', TOKEN, {
    body: typeof params === 'string' ? params : new URLSearchParams(params).toString(),
    headers: { ...FORM, ...headers },
  })
const post = (t: TestApp, options: RequestOptions) => t.request('POST', TOKEN, options)
const grant = (c: ClientCredentials, extra: Record<string, string> = {}) => ({
  grant_type: 'client_credentials',
  client_id: c.client_id,
  client_secret: c.client_secret,
  ...extra,
})
/** `Authorization: Basic` as RFC 6749 §2.3.1 builds it (id and secret form-encoded first); `encode` picks the encoding. */
const basic = (id: string, secret: string, encode: (s: string) => string = encodeURIComponent) =>
  `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`
/** Percent-encodes every character, so that the server must decode to recover the value. */
const encodeEveryChar = (s: string) =>
  [...Buffer.from(s)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')

/** An RFC 6749 §5.2 error: JSON (never problem+json), `error`, `error_description`, not cacheable. */
function assertOAuthError(response: HttpResponse, status: number, error: string): void {
  assert.equal(response.status, status, response.text)
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
  assert.equal(response.body.error, error)
  assert.equal(typeof response.body.error_description, 'string')
  assert.equal(response.headers.get('cache-control'), 'no-store')
}

function assertIssued(t: TestApp, response: HttpResponse, client: ClientCredentials, scopes: string[]): void {
  assert.equal(response.status, 200, response.text)
  assert.equal(response.headers.get('cache-control'), 'no-store')
  assert.deepEqual(Object.keys(response.body).sort(), [
    'access_token',
    'created_at',
    'expires_in',
    'scope',
    'token_type',
  ])
  assert.equal(response.body.token_type, 'Bearer')
  assert.equal(response.body.expires_in, t.config.tokenTtlSeconds)
  assert.equal(response.body.created_at, Math.floor(t.clock.now().getTime() / 1000))
  assert.deepEqual(sorted(response.body.scope.split(' ')), sorted(scopes))
  assert.equal(decodeJwt(response.body.access_token).sub, client.client_id)
}

describeEachBackend('POST /api/partner/v1/oauth/token.json', (use) => {
  let client: ClientCredentials
  before(async () => {
    client = await makePartner(use(), { scopes: SCOPES })
  })

  test('form-encoded body → 200 with a bearer token of every client scope', async () => {
    assertIssued(use(), await postForm(use(), grant(client)), client, SCOPES)
  })

  test('JSON body → 200', async () => {
    assertIssued(use(), await post(use(), { json: grant(client) }), client, SCOPES)
  })

  test('content types with a charset parameter are accepted', async () => {
    const form = await postForm(use(), grant(client), {
      'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
    })
    assertIssued(use(), form, client, SCOPES)
    const json = await post(use(), {
      json: grant(client),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    })
    assertIssued(use(), json, client, SCOPES)
  })

  test('client authentication with HTTP Basic → 200', async () => {
    const response = await postForm(
      use(),
      { grant_type: 'client_credentials' },
      { authorization: basic(client.client_id, client.client_secret) },
    )
    assertIssued(use(), response, client, SCOPES)
  })

  test('HTTP Basic with percent-encoded id and secret is decoded (RFC 6749 §2.3.1)', async () => {
    const authorization = basic(client.client_id, client.client_secret, encodeEveryChar)
    assertIssued(use(), await postForm(use(), { grant_type: 'client_credentials' }, { authorization }), client, SCOPES)
  })

  test('HTTP Basic with a JSON body → 200', async () => {
    const response = await post(use(), {
      json: { grant_type: 'client_credentials' },
      headers: { authorization: basic(client.client_id, client.client_secret) },
    })
    assertIssued(use(), response, client, SCOPES)
  })

  test('a subset of the scopes → a token of exactly that subset', async () => {
    const response = await postForm(use(), grant(client, { scope: 'read.submissions write.education' }))
    assertIssued(use(), response, client, ['read.submissions', 'write.education'])
    assert.deepEqual(sorted(String(decodeJwt(response.body.access_token).scope).split(' ')), [
      'read.submissions',
      'write.education',
    ])
  })

  test('the access token is an HS512 JWT with sub, scope, iat, exp = iat + TTL and jti', async () => {
    const t = use()
    const response = await postForm(t, grant(client, { scope: 'write.microcredential' }))
    assert.equal(response.status, 200, response.text)
    assert.equal(decodeProtectedHeader(response.body.access_token).alg, 'HS512')
    const claims = decodeJwt(response.body.access_token)
    assert.equal(claims.sub, client.client_id)
    assert.equal(claims.scope, 'write.microcredential')
    assert.equal(claims.iat, response.body.created_at)
    assert.equal(claims.exp, claims.iat! + 7200)
    assert.equal(typeof claims.jti, 'string')
    assert.ok(claims.jti!.length > 0)
  })

  test('two tokens of the same client have different jti', async () => {
    const [a, b] = await Promise.all([postForm(use(), grant(client)), postForm(use(), grant(client))])
    assert.notEqual(decodeJwt(a.body.access_token).jti, decodeJwt(b.body.access_token).jti)
  })

  test('the token works on GET /api/partner/v1/me.json', async () => {
    const token = (await postForm(use(), grant(client, { scope: 'write.education' }))).body.access_token
    const me = await use().request('GET', '/api/partner/v1/me.json', { token })
    assert.equal(me.status, 200, me.text)
    assert.equal(me.body.client_id, client.client_id)
    assert.deepEqual(me.body.scopes, ['write.education'])
  })

  test('a scope the client does not hold → 400 invalid_scope', async () => {
    assertOAuthError(
      await postForm(use(), grant(client, { scope: 'write.education write.right_to_work' })),
      400,
      'invalid_scope',
    )
  })

  test('an unknown scope → 400 invalid_scope', async () => {
    assertOAuthError(await postForm(use(), grant(client, { scope: 'write.everything' })), 400, 'invalid_scope')
  })

  test('missing grant_type → 400 invalid_request', async () => {
    const { grant_type: _, ...rest } = grant(client)
    assertOAuthError(await postForm(use(), rest), 400, 'invalid_request')
  })

  for (const grantType of ['password', 'authorization_code', 'refresh_token']) {
    test(`grant_type=${grantType} → 400 unsupported_grant_type`, async () => {
      assertOAuthError(await postForm(use(), grant(client, { grant_type: grantType })), 400, 'unsupported_grant_type')
    })
  }

  test('a wrong secret and an unknown client id get the same 401 invalid_client body', async () => {
    const wrong = await postForm(use(), grant({ ...client, client_secret: `${client.client_secret}x` }))
    const unknown = await postForm(use(), grant({ ...client, client_id: 'cpc_no_such_client' }))
    assertOAuthError(wrong, 401, 'invalid_client')
    assertOAuthError(unknown, 401, 'invalid_client')
    assert.deepEqual(unknown.body, wrong.body)
  })

  test('no client credentials at all → 401 invalid_client', async () => {
    assertOAuthError(await postForm(use(), { grant_type: 'client_credentials' }), 401, 'invalid_client')
  })

  test('failed HTTP Basic authentication → 401 with a Basic challenge', async () => {
    for (const authorization of [
      basic(client.client_id, 'wrong-secret'),
      basic('cpc_no_such_client', 'x'),
      'Basic !!!',
      'Basic bm9jb2xvbg==',
    ]) {
      const response = await postForm(use(), { grant_type: 'client_credentials' }, { authorization })
      assertOAuthError(response, 401, 'invalid_client')
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic /, authorization)
    }
  })

  test('HTTP Basic and a secret in the body together → 400 invalid_request', async () => {
    const response = await postForm(use(), grant(client), {
      authorization: basic(client.client_id, client.client_secret),
    })
    assertOAuthError(response, 400, 'invalid_request')
  })

  test('a parameter with a NUL character → 400 invalid_request naming the parameter', async () => {
    const response = await postForm(use(), `${new URLSearchParams(grant(client)).toString()}&scope=a%00b`)
    assertOAuthError(response, 400, 'invalid_request')
    assert.equal(response.body.error_description, 'scope must not contain the NUL character (\\u0000)')
  })

  test('a repeated form parameter → 400 invalid_request', async () => {
    const base = new URLSearchParams(grant(client)).toString()
    assertOAuthError(
      await postForm(use(), `${base}&scope=write.education&scope=read.submissions`),
      400,
      'invalid_request',
    )
    assertOAuthError(await postForm(use(), `${base}&grant_type=client_credentials`), 400, 'invalid_request')
  })

  test('a non-string JSON parameter or a JSON array → 400 invalid_request', async () => {
    assertOAuthError(
      await post(use(), { json: { ...grant(client), scope: ['write.education'] } }),
      400,
      'invalid_request',
    )
    assertOAuthError(await post(use(), { json: [grant(client)] }), 400, 'invalid_request')
  })

  test('malformed JSON → 400 invalid_request in the OAuth format, not problem+json', async () => {
    const response = await post(use(), {
      body: '{"grant_type": "client_credentials",',
      headers: { 'content-type': 'application/json' },
    })
    assertOAuthError(response, 400, 'invalid_request')
  })

  test('an empty body → 400 invalid_request (form, JSON or no content type)', async () => {
    assertOAuthError(await postForm(use(), ''), 400, 'invalid_request')
    assertOAuthError(
      await post(use(), { body: '', headers: { 'content-type': 'application/json' } }),
      400,
      'invalid_request',
    )
    assertOAuthError(await post(use(), {}), 400, 'invalid_request')
  })

  test('Content-Type text/plain → a 4xx in the OAuth format', async () => {
    const response = await post(use(), {
      body: new URLSearchParams(grant(client)).toString(),
      headers: { 'content-type': 'text/plain' },
    })
    assert.ok(response.status >= 400 && response.status < 500, `got ${response.status}`)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    assert.equal(response.body.error, 'invalid_request')
  })

  test('a client of a partner with two clients: both get tokens', async () => {
    const t = use()
    const added = await t.request('POST', `/api/admin/partners/${client.partner_id}/clients`, {
      token: t.deps.adminToken,
      json: { scopes: ['write.education'] },
    })
    assert.equal(added.status, 201, added.text)
    assertIssued(t, await postForm(t, grant(client)), client, SCOPES)
    assertIssued(t, await postForm(t, grant(added.body)), added.body, ['write.education'])
  })

  test('rotated secret: the old secret → invalid_client, the new one works', async () => {
    const t = use()
    const own = await makePartner(t, { scopes: ['write.education'] })
    assertIssued(t, await postForm(t, grant(own)), own, ['write.education'])
    const rotated = await t.request('POST', `/api/admin/clients/${own.client_id}/rotate-secret`, {
      token: t.deps.adminToken,
    })
    assert.equal(rotated.status, 200, rotated.text)
    assertOAuthError(await postForm(t, grant(own)), 401, 'invalid_client')
    assertIssued(t, await postForm(t, grant(rotated.body)), own, ['write.education'])
  })

  test('a revoked client → 401 invalid_client', async () => {
    const t = use()
    const own = await makePartner(t, { scopes: ['write.education'] })
    assertIssued(t, await postForm(t, grant(own)), own, ['write.education'])
    await revokeThroughAdmin(t, own.client_id)
    assertOAuthError(await postForm(t, grant(own)), 401, 'invalid_client')
  })
})

describeEachBackend(
  'POST /api/partner/v1/oauth/token.json with TOKEN_TTL=30m',
  (use) => {
    test('expires_in and exp - iat are 1800 seconds', async () => {
      const t = use()
      const client = await makePartner(t, { scopes: ['write.education'] })
      const response = await postForm(t, grant(client))
      assertIssued(t, response, client, ['write.education'])
      assert.equal(response.body.expires_in, 1800)
      const claims = decodeJwt(response.body.access_token)
      assert.equal(claims.exp! - claims.iat!, 1800)
    })
  },
  { TOKEN_TTL: '30m' },
)
