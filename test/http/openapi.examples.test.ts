import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestApp } from '../support/app.js'
import { checkAnswer, DocumentSchemas, type OpenApiDocument } from '../support/contract.js'
import { backends } from '../support/databases.js'
import { makePartnerWithToken } from '../support/factories.js'
import { example, V2_BATCH } from '../support/intake-helpers.js'
import { acceptedBatch } from '../corrections/support.js'

const WEBHOOKS = '/api/partner/v2/webhooks'

/**
 * The document's examples are realistic: taken from the public samples (the v2 batch example is
 * the sample itself), every one matches the schema it illustrates (the webhook events' too), and
 * every request example, sent as a partner would send it, is accepted with the documented answer.
 */
describe('OpenAPI: examples from the public samples', () => {
  let t: TestApp
  let document: OpenApiDocument
  let schemas: DocumentSchemas
  before(async () => {
    t = await startTestApp(backends()[0]!)
    document = (await t.request('GET', '/openapi.json')).body
    schemas = new DocumentSchemas(document)
  })
  after(() => t.close())

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries<any>(item).map(([method, operation]) => ({ path, method, operation })),
    )

  test('the v2 batch example is the public sample; no example id is a bare number', () => {
    const batch = document.paths[V2_BATCH]!.post.requestBody.content['application/json'].example
    assert.deepEqual(batch, example('v2-batch.json'))
    const text = JSON.stringify(document)
    assert.doesNotMatch(text, /"(credential_id|id|asset_id)":"\d+"/)
  })

  test('every example matches the schema it illustrates', () => {
    let checked = 0
    for (const [type, item] of Object.entries(document.webhooks ?? {})) {
      const content = item.post.requestBody.content['application/json']
      assert.ok(content.example, `${type}: an example body`)
      const at = ['webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema']
      assert.deepEqual(schemas.validate(at, content.example), [], `webhook ${type}`)
      checked++
    }
    for (const { path, method, operation } of operations()) {
      for (const [media, content] of Object.entries<any>(operation.requestBody?.content ?? {})) {
        if (content.example === undefined) continue
        const at = ['paths', path, method, 'requestBody', 'content', media, 'schema']
        assert.deepEqual(schemas.validate(at, content.example), [], `${method} ${path} request (${media})`)
        checked++
      }
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        for (const [media, content] of Object.entries<any>(response.content ?? {})) {
          const values = [
            ...(content.example === undefined ? [] : [content.example]),
            ...Object.values<any>(content.examples ?? {}).map((e) => e.value),
          ]
          for (const value of values) {
            const problems = checkAnswer(schemas, {
              method,
              path,
              status: Number(status),
              contentType: media,
              body: value,
            })
            assert.deepEqual(problems, [], `${method} ${path} ${status} example`)
            checked++
          }
        }
      }
    }
    assert.ok(checked > 150, `${checked} examples checked`)
  })

  test('every partner operation (adds, status, webhooks) has its request and success examples; every problem answer one per type', () => {
    for (const { path, method, operation } of operations()) {
      if (!path.startsWith('/api/partner/')) continue
      const body = operation.requestBody?.content?.['application/json']
      if (body && !path.includes('/uploads/')) assert.ok(body.example, `${method} ${path}: request example`)
      const [status, success] = Object.entries<any>(operation.responses).find(([status]) => Number(status) < 300)!
      // An upload answers with no example worth showing; a 204 (DELETE) has no body.
      if (!path.includes('/uploads/') && status !== '204')
        assert.ok(success.content['application/json'].example, `${method} ${path}`)
      for (const [status, response] of Object.entries<any>(operation.responses)) {
        const problem = response.content?.['application/problem+json']
        if (!problem) continue
        assert.deepEqual(
          Object.values<any>(problem.examples).map((e) => e.value.type),
          problem.schema.properties.type.enum,
          `${method} ${path} ${status}`,
        )
      }
    }
  })

  test('every request example, sent by a partner holding the scopes, is accepted with its documented answer', async () => {
    let sent = 0
    for (const { path, method, operation } of operations()) {
      const request = operation.requestBody?.content?.['application/json']?.example
      if (!request || !path.startsWith('/api/partner/') || path.includes('/oauth/')) continue
      // A partner of its own for each: the examples share the sample's ids, as its pages do.
      const { token } = await makePartnerWithToken(t)
      // A webhook endpoint's operations act on an endpoint of the partner's.
      const endpoint = path.includes('{id}')
        ? await t.request('POST', WEBHOOKS, { json: { url: 'https://hooks.example.com/example' }, token })
        : undefined
      // A revocation acts on a credential of the partner's that a holder accepted: the sample's own.
      const credential = path.includes('{credential_id}')
        ? (await acceptedBatch(t, token, example('v2-batch.json'))).credentialId
        : undefined
      const url = endpoint
        ? path.replace('{id}', endpoint.body.id)
        : credential
          ? path.replace('{credential_id}', encodeURIComponent(credential))
          : path
      const response = await t.request(method.toUpperCase(), url, { json: request, token })
      const success = Object.keys(operation.responses).find((status) => Number(status) < 300)!
      assert.equal(String(response.status), success, `${method} ${path}: ${response.text}`)
      const contentType = response.headers.get('content-type') ?? ''
      const problems = checkAnswer(schemas, { method, path, status: response.status, contentType, body: response.body })
      assert.deepEqual(problems, [], `${method} ${path}`)
      const documented = operation.responses[success].content['application/json'].example
      assert.deepEqual(Object.keys(response.body).sort(), Object.keys(documented).sort(), `${method} ${path}`)
      sent++
    }
    assert.equal(
      sent,
      19,
      'six v1 and seven v2 single adds, two batches, the bulk status, a webhook created and changed, a revocation',
    )
  })
})
