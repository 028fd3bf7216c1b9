import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { ERROR_CATALOGUE } from '../../src/errors.js'
import { credentialTypes } from '../../src/modules/credential-types/index.js'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'
import { routeProblems } from '../../src/plugins/openapi.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { backends } from '../support/databases.js'
import { V1_BATCH, V2_BATCH, v1Path, v2Path } from '../support/intake-helpers.js'

/**
 * The document lists every operation's error answers, derived from the route's configuration:
 * each as `application/problem+json` naming its problem types (pages that exist), the scopes per
 * operation and every scope of the OAuth scheme with its description.
 */

type Operation = {
  summary?: string
  security?: Array<Record<string, string[]>>
  requestBody?: { content: Record<string, unknown> }
  responses: Record<string, { description: string; content?: Record<string, { schema: any }> }>
}

describe('OpenAPI: error answers and scopes per operation', () => {
  let t: TestApp
  let document: { paths: Record<string, Record<string, Operation>>; components: any }
  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
    )
  const operation = (method: string, path: string) => {
    const found = document.paths[path]?.[method]
    assert.ok(found, `${method} ${path} is documented`)
    return found
  }
  const problemTypes = (op: Operation, status: number): string[] =>
    op.responses[status]?.content?.['application/problem+json']?.schema.properties.type.enum ?? []

  before(async () => {
    t = await startTestApp(backends()[0]!)
    document = (await t.request('GET', '/openapi.json')).body
  })
  after(() => t.close())

  test('partner routes: 401, 403 and 429 problems; routes with a JSON body: 400, 413 and 415 problems', () => {
    let bearer = 0
    for (const { name, operation: op } of operations()) {
      if (op.security?.some((r) => 'partnerToken' in r)) {
        bearer++
        assert.deepEqual(problemTypes(op, 401), ['/problems/unauthorized'], name)
        assert.deepEqual(problemTypes(op, 403), ['/problems/insufficient_scope'], name)
        assert.deepEqual(problemTypes(op, 429), ['/problems/rate_limited'], name)
      }
      if (op.requestBody?.content['application/json'] && !/\/oauth\/token|\/uploads\//.test(name)) {
        assert.ok(problemTypes(op, 400).includes('/problems/validation'), name)
        assert.ok(problemTypes(op, 400).includes('/problems/malformed_json'), name)
        assert.deepEqual(problemTypes(op, 415), ['/problems/unsupported_media_type'], name)
        assert.ok(problemTypes(op, 413).includes('/problems/body_too_large'), name)
      }
    }
    assert.equal(
      bearer,
      28,
      'every documented partner route (me, 13 single adds, 2 batches, 2 status reads, 8 webhook operations, withdraw, revoke)',
    )
  })

  test('intake: 409 id_conflict, batches 413 batch_too_large; status read 404; upload 403/404/409/413/415', () => {
    for (const path of [v1Path('education'), v2Path('universal_credential'), V1_BATCH, V2_BATCH]) {
      assert.deepEqual(problemTypes(operation('post', path), 409), ['/problems/id_conflict'], path)
      assert.deepEqual(problemTypes(operation('post', path), 503), ['/problems/service_unavailable'], path)
    }
    for (const path of [V1_BATCH, V2_BATCH]) {
      assert.deepEqual(
        problemTypes(operation('post', path), 413).sort(),
        ['/problems/batch_too_large', '/problems/body_too_large'],
        path,
      )
    }
    const token = operation('post', '/api/partner/v1/oauth/token.json')
    assert.deepEqual(Object.keys(token.requestBody?.content ?? {}), [
      'application/x-www-form-urlencoded',
      'application/json',
    ])
    const status = operation('get', '/api/partner/v1/submissions/{id}/status.json')
    assert.deepEqual(problemTypes(status, 404), ['/problems/not_found'])
    // The issuer's corrections: an unknown (or another partner's) id, and a state that refuses it.
    for (const [method, path] of [
      ['delete', '/api/partner/v2/add/requests/{id}'],
      ['post', '/api/partner/v2/credentials/{credential_id}/revoke'],
    ] as const) {
      assert.deepEqual(problemTypes(operation(method, path), 404), ['/problems/not_found'], path)
      assert.deepEqual(problemTypes(operation(method, path), 409), ['/problems/conflict'], path)
    }
    const upload = operation('put', '/api/partner/v2/uploads/{assetId}')
    assert.equal(upload.security, undefined, 'the signed link is the authorization')
    assert.deepEqual(Object.keys(upload.requestBody?.content ?? {}).sort(), [
      'application/json',
      'application/pdf',
      'image/jpeg',
      'image/png',
    ])
    for (const [code, expected] of [
      [403, 'forbidden'],
      [404, 'not_found'],
      [409, 'conflict'],
      [413, 'body_too_large'],
      [415, 'unsupported_media_type'],
    ] as const) {
      assert.deepEqual(problemTypes(upload, code), [`/problems/${expected}`], String(code))
    }
  })

  test('every documented problem answer: status member = status, types that are catalogued and resolve to a page', async () => {
    const types = new Set<string>()
    for (const { name, operation: op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        const media = response.content?.['application/problem+json']
        if (Number(status) < 400) continue
        if (name.startsWith('POST /api/partner/v1/oauth/token') && status !== '500') {
          assert.ok(response.content?.['application/json'], `${name} ${status}: OAuth errors are JSON (RFC 6749)`)
          continue
        }
        assert.ok(media, `${name} ${status} is a problem`)
        assert.deepEqual(media.schema.allOf, [{ $ref: '#/components/schemas/Problem' }])
        assert.equal(media.schema.properties.status.const ?? media.schema.properties.status.enum?.[0], Number(status))
        for (const type of media.schema.properties.type.enum) {
          const code = type.slice('/problems/'.length) as keyof typeof ERROR_CATALOGUE
          assert.equal(ERROR_CATALOGUE[code]?.status, Number(status), `${name}: ${type}`)
          assert.ok(response.description.includes(`(${type})`), `${name} ${status} links ${type}`)
          types.add(type)
        }
      }
    }
    for (const type of types) {
      const page = await t.request('GET', type)
      assert.equal(page.status, 200, `${type} resolves to a page`)
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
    }
    assert.ok(types.has('/problems/validation'), 'the validation problem is /problems/validation (spec §7)')
    assert.deepEqual(document.components.schemas.Problem.required, [
      'type',
      'title',
      'status',
      'instance',
      'request_id',
    ])
  })

  test('scopes: the OAuth scheme lists every scope with its description; each operation names its own', () => {
    const flow = document.components.securitySchemes.partnerToken.flows.clientCredentials
    assert.deepEqual(Object.keys(flow.scopes).sort(), [...ALL_SCOPES].sort())
    for (const scope of ALL_SCOPES) assert.ok(flow.scopes[scope].length > 10, scope)
    for (const def of credentialTypes) {
      assert.deepEqual(operation('post', v2Path(def.name)).security, [{ partnerToken: [def.scope] }], def.name)
    }
    // Reads: any one scope (OpenAPI lists alternatives as separate requirements).
    const me = operation('get', '/api/partner/v1/me.json')
    assert.deepEqual(
      me.security,
      ALL_SCOPES.map((scope) => ({ partnerToken: [scope] })),
    )
    // Batches: the body decides, which the description says.
    const batch = operation('post', V2_BATCH) as Operation & { description?: string }
    assert.match(batch.description ?? '', /write\.\* scope of every credential type/)
  })

  test('summaries read as English: no word twice in a row', () => {
    for (const { name, operation: op } of operations()) {
      assert.doesNotMatch(op.summary ?? '', /\b(\w+) \1\b/i, name)
    }
    assert.equal(
      operation('post', v2Path('universal_credential')).summary,
      'Add one universal credential (universal_credential)',
    )
  })

  test('routeProblems derives the problems from the configuration alone', () => {
    assert.deepEqual(routeProblems({}), ['internal'])
    assert.deepEqual(routeProblems({ config: { oauthErrors: true }, schema: { body: {} } }), ['internal'])
    assert.deepEqual(routeProblems({ config: { partnerAuth: { anyOf: ['read.submissions'] } } }), [
      'unauthorized',
      'insufficient_scope',
      'rate_limited',
      'internal',
    ])
    assert.deepEqual(routeProblems({ schema: { params: {} }, config: { problems: ['not_found'] } }), [
      'invalid_parameter',
      'not_found',
      'internal',
    ])
  })
})
