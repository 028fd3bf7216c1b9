import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { startTestApp, type TestApp } from '../support/app.js'
import { backends } from '../support/databases.js'

/**
 * /openapi.json is a valid OpenAPI 3.1 document, checked against the specification's own JSON
 * Schema by an independent validator (@seriousme/openapi-schema-validator), and every `$ref` in it
 * resolves. A document the tools partners feed it to (generators, the reference UI) would reject
 * fails here first.
 */
describe('OpenAPI: /openapi.json is a valid OpenAPI 3.1 document', () => {
  let t: TestApp
  before(async () => {
    t = await startTestApp(backends()[0]!)
  })
  after(() => t.close())

  test('it validates against the OpenAPI 3.1 schema, and its references resolve', async () => {
    const response = await t.request('GET', '/openapi.json')
    assert.equal(response.status, 200)
    assert.equal(response.body.openapi, '3.1.0')
    const validator = new Validator()
    const result = await validator.validate(response.body)
    assert.deepEqual(result.errors, undefined, JSON.stringify(result.errors, null, 2))
    assert.equal(result.valid, true)
    assert.equal(validator.version, '3.1')
    // Throws on a $ref that points nowhere.
    assert.ok(validator.resolveRefs())
  })

  test('the validator catches a broken document (the test can fail)', async () => {
    const document = (await t.request('GET', '/openapi.json')).body
    const broken = structuredClone(document)
    broken.paths['/api/partner/v1/me.json'].get.responses = { 200: { content: {} } }
    const result = await new Validator().validate(broken)
    assert.equal(result.valid, false)
  })
})
