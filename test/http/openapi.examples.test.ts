import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { startTestApp, type TestApp } from '../support/app.js'
import { checkAnswer, DocumentSchemas, type OpenApiDocument } from '../support/contract.js'
import { backends } from '../support/databases.js'
import { makePartnerWithToken } from '../support/factories.js'
import { example, V2_BATCH } from '../support/intake-helpers.js'

/**
 * The document's examples are realistic: taken from the public samples (the v2 batch example is
 * the sample itself), every one matches the schema it illustrates, and every request example, sent
 * as a partner would send it, is accepted with the documented answer.
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
      Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
    )

  test('the v2 batch example is the public sample; no example id is a bare number', () => {
    const batch = document.paths[V2_BATCH]!.post.requestBody.content['application/json'].example
    assert.deepEqual(batch, example('v2-batch.json'))
    const text = JSON.stringify(document)
    assert.doesNotMatch(text, /"(credential_id|id|asset_id)":"\d+"/)
  })

  test('every example matches the schema it illustrates', () => {
    let checked = 0
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

  test('every add and status operation has a request or success example; every problem answer one per type', () => {
    for (const { path, method, operation } of operations()) {
      // The adds and status reads; the webhook operations have no examples yet.
      if (!path.startsWith('/api/partner/') || path.includes('/webhooks')) continue
      const body = operation.requestBody?.content?.['application/json']
      if (body && !path.includes('/uploads/')) assert.ok(body.example, `${method} ${path}: request example`)
      const success = Object.entries<any>(operation.responses).find(([status]) => Number(status) < 300)![1]
      if (!path.includes('/uploads/')) assert.ok(success.content['application/json'].example, `${method} ${path}`)
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
      const response = await t.request(method.toUpperCase(), path, { json: request, token })
      const success = Object.keys(operation.responses).find((status) => Number(status) < 300)!
      assert.equal(String(response.status), success, `${method} ${path}: ${response.text}`)
      const contentType = response.headers.get('content-type') ?? ''
      const problems = checkAnswer(schemas, { method, path, status: response.status, contentType, body: response.body })
      assert.deepEqual(problems, [], `${method} ${path}`)
      const documented = operation.responses[success].content['application/json'].example
      assert.deepEqual(Object.keys(response.body).sort(), Object.keys(documented).sort(), `${method} ${path}`)
      sent++
    }
    assert.equal(sent, 16, 'six v1 and seven v2 single adds, two batches and the bulk status')
  })
})
