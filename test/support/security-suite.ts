import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { SignJWT, UnsecuredJWT, decodeJwt } from 'jose'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'
import type { HttpResponse, TestApp } from './app.js'
import { makePartner, tokenFor } from './factories.js'

/**
 * Asserts an RFC 9457 problem response (spec §7): status, content type, `type`, `title`,
 * `status` member, and a `request_id` equal to the `x-request-id` response header.
 */
export function assertProblem(response: HttpResponse, status: number, code: string): void {
  assert.equal(
    response.status,
    status,
    `expected ${status} /problems/${code}, got ${response.status}: ${response.text}`,
  )
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
  assert.equal(response.body.type, `/problems/${code}`)
  assert.equal(typeof response.body.title, 'string')
  assert.ok(response.body.title.length > 0)
  assert.equal(response.body.status, status)
  assert.equal(typeof response.body.request_id, 'string')
  assert.equal(response.body.request_id, response.headers.get('x-request-id'))
}

/** Revokes a client through the admin API. */
export async function revokeThroughAdmin(t: TestApp, clientId: string): Promise<void> {
  const response = await t.request('POST', `/api/admin/clients/${encodeURIComponent(clientId)}/revoke`, {
    token: t.deps.adminToken,
  })
  assert.equal(response.status, 200, response.text)
}

export interface PartnerRoute {
  method: string
  path: string
  /** The body to send (a function is called for each request). */
  json?: unknown | (() => unknown)
  /** The scopes the route needs: every one of them, or (with `anyOf`) one of them. */
  neededScopes: string[]
  anyOf?: boolean
  /**
   * The status a valid request answers with a token holding exactly the needed scopes: 201 for an
   * add with a valid sample body, 200 for a read. The suite asserts this exact status.
   */
  success: number
  /**
   * A valid request of the partner whose token is given, when `path` and `json` alone are not one
   * (e.g. a status read needs a submission of that partner to exist first). Called once per request.
   */
  validRequest?: (t: TestApp, token: string) => Promise<{ path?: string; json?: unknown }>
  /**
   * Checks that a partner cannot reach another partner's resource through this route (a status
   * read of another partner's id is a 404, an add reusing its ids creates a submission of its own…).
   */
  foreignResource?: {
    title: string
    check: (t: TestApp, owner: string, stranger: string) => Promise<void>
  }
}

/**
 * Declares the authentication and authorisation tests every partner route must pass (spec §1):
 * 401 for a missing, malformed, forged, expired or revoked token; 403 naming missing scopes.
 */
export function partnerRouteSecuritySuite(use: () => TestApp, route: PartnerRoute): void {
  const send = (headers: Record<string, string> = {}) => {
    const json = typeof route.json === 'function' ? (route.json as () => unknown)() : route.json
    return use().request(route.method, route.path, { json, headers })
  }
  const bearer = (token: string) => send({ authorization: `Bearer ${token}` })
  /** A valid request of the token's partner: the request the route must accept with `success`. */
  const valid = async (token: string, method = route.method) => {
    const t = use()
    const made = route.validRequest ? await route.validRequest(t, token) : {}
    const json =
      'json' in made ? made.json : typeof route.json === 'function' ? (route.json as () => unknown)() : route.json
    return t.request(method, made.path ?? route.path, { json: method === 'HEAD' ? undefined : json, token })
  }
  const assertSuccess = (response: HttpResponse, status = route.success) =>
    assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`)
  /** A new client holding exactly the needed scopes, and a token for it. */
  const newAuthorised = async () => {
    const client = await makePartner(use(), { scopes: route.neededScopes })
    return { client, token: await tokenFor(use(), client) }
  }
  /**
   * The route's client holding exactly the needed scopes (made once for the route's tests: a client
   * costs a scrypt hash, and its first token a scrypt check), and a new token for it from the token
   * endpoint. A test that revokes the client, or needs two partners, makes its own (newAuthorised).
   */
  let routeClient: Promise<Awaited<ReturnType<typeof newAuthorised>>['client']> | undefined
  const authorised = async () => {
    routeClient ??= makePartner(use(), { scopes: route.neededScopes })
    const client = await routeClient
    return { client, token: await tokenFor(use(), client) }
  }
  const assertInvalidToken = (response: HttpResponse) => {
    assertProblem(response, 401, 'unauthorized')
    const challenge = response.headers.get('www-authenticate') ?? ''
    assert.match(challenge, /^Bearer realm="credport"/)
    assert.match(challenge, /error="invalid_token"/)
  }

  describe(`security of ${route.method} ${route.path}`, () => {
    test(`a token with exactly the needed scopes and a valid request → ${route.success}`, async () => {
      assertSuccess(await valid((await authorised()).token))
    })

    if (route.method === 'GET') {
      test('HEAD (served wherever GET is) is authenticated the same way', async () => {
        const t = use()
        const anonymous = await t.request('HEAD', route.path)
        assert.equal(anonymous.status, 401)
        assert.equal(anonymous.headers.get('www-authenticate'), 'Bearer realm="credport"')
        const response = await valid((await authorised()).token, 'HEAD')
        assertSuccess(response)
        assert.equal(response.text, '')
      })
    }

    test('no Authorization header → 401 with a bare Bearer challenge', async () => {
      const response = await send()
      assertProblem(response, 401, 'unauthorized')
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="credport"')
    })

    test('HTTP Basic instead of Bearer → 401', async () => {
      const { client } = await authorised()
      const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')
      assertInvalidToken(await send({ authorization: `Basic ${basic}` }))
    })

    test('a garbage bearer token → 401 invalid_token', async () => {
      assertInvalidToken(await bearer('not-a-jwt'))
      assertInvalidToken(await bearer('a.b.c'))
    })

    test('a JWT with the same claims signed with another key → 401', async () => {
      const claims = decodeJwt((await authorised()).token)
      const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512', typ: 'JWT' }).sign(randomBytes(64))
      assertInvalidToken(await bearer(forged))
    })

    test('an unsigned JWT (alg none) with the same claims → 401', async () => {
      const claims = decodeJwt((await authorised()).token)
      assertInvalidToken(await bearer(new UnsecuredJWT(claims).encode()))
    })

    test('a validly signed token of an unknown client → 401', async () => {
      const issued = await use().deps.tokens.sign({ clientId: 'cpc_does_not_exist', scopes: route.neededScopes })
      assertInvalidToken(await bearer(issued.token))
    })

    test('a token is accepted until its expiry, then → 401 expired', async () => {
      const t = use()
      const { token } = await authorised()
      const ttlMs = t.config.tokenTtlSeconds * 1000
      const start = t.clock.now()
      try {
        t.clock.advance(ttlMs - 1000)
        assertSuccess(await valid(token))
        t.clock.set(new Date(start.getTime() + ttlMs + 1000))
        const response = await bearer(token)
        assertInvalidToken(response)
        assert.match(response.body.detail, /expired/)
      } finally {
        t.clock.set(start)
      }
    })

    test('a token of a revoked client → 401', async () => {
      const { client, token } = await newAuthorised()
      assertSuccess(await valid(token))
      await revokeThroughAdmin(use(), client.client_id)
      assertInvalidToken(await bearer(token))
    })

    const others = ALL_SCOPES.filter((s) => !route.neededScopes.includes(s))
    test('a token without the needed scope → 403 naming the missing scope(s)', async () => {
      let token: string
      if (others.length > 0) {
        token = await tokenFor(use(), await makePartner(use(), { scopes: [others[0]!] }))
      } else {
        // Every scope satisfies the route: only a token carrying no scope at all lacks one.
        const client = await makePartner(use(), { scopes: [route.neededScopes[0]!] })
        token = (await use().deps.tokens.sign({ clientId: client.client_id, scopes: [] })).token
      }
      const response = await bearer(token)
      assertProblem(response, 403, 'insufficient_scope')
      assert.deepEqual([...response.body.missing_scopes].sort(), [...route.neededScopes].sort())
      const challenge = response.headers.get('www-authenticate') ?? ''
      assert.match(challenge, /^Bearer realm="credport"/)
      assert.match(challenge, /error="insufficient_scope"/)
    })

    if (!route.anyOf && route.neededScopes.length > 1) {
      test('a token holding all but one needed scope → 403 naming only that scope', async () => {
        const missing = route.neededScopes.at(-1)!
        const client = await makePartner(use(), { scopes: route.neededScopes.slice(0, -1) })
        const response = await bearer(await tokenFor(use(), client))
        assertProblem(response, 403, 'insufficient_scope')
        assert.deepEqual(response.body.missing_scopes, [missing])
      })
    }

    const foreign = route.foreignResource
    if (foreign) {
      test(`another partner's resource: ${foreign.title}`, async () => {
        const [owner, stranger] = [(await authorised()).token, (await newAuthorised()).token]
        await foreign.check(use(), owner, stranger)
      })
    }
  })
}
