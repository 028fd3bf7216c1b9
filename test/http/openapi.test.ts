import assert from 'node:assert/strict'
import { test } from 'node:test'
import { getCredentialType } from '../../src/modules/credential-types/registry.js'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { TYPES, V1_BATCH, V1_TYPES, V2_BATCH, v1Path, v2Path, type Issue } from '../support/intake-helpers.js'

/**
 * The body schemas of /openapi.json are the ones that validate: each member the document lists as
 * required is reported missing (and no other), a closed object (`additionalProperties: false`)
 * refuses an unknown member at its pointer, and a credential type's fields are documented as
 * its schema, on every intake route and the token endpoint.
 */

const NOT_ALLOWED = 'is not an allowed property (check the spelling)'

type Schema = {
  required?: string[]
  properties: Record<string, Schema>
  items?: Schema
  additionalProperties?: boolean
}

/** The pointers of the "is required" issues of a 400 (rules may add others: "is required when …"). */
function missing(errors: Issue[]): string[] {
  return errors
    .filter((e) => e.message === 'is required')
    .map((e) => e.pointer)
    .sort()
}

const under = (prefix: string, schema: Schema) => (schema.required ?? []).map((name) => `${prefix}/${name}`).sort()

/** JSON as sent over the wire (no symbols, no undefined). */
const asJson = (value: unknown) => JSON.parse(JSON.stringify(value))

describeEachBackend('OpenAPI: the documented body schemas are the ones that validate', (use) => {
  let token: string
  let document: { paths: Record<string, Record<string, any>> }
  const post = async (url: string, json: unknown) => {
    token ??= (await makePartnerWithToken(use())).token
    return use().request('POST', url, { json, token })
  }
  const bodyOf = async (path: string): Promise<Schema> => {
    document ??= (await use().request('GET', '/openapi.json')).body
    const schema = document.paths[path]?.post?.requestBody?.content?.['application/json']?.schema
    assert.ok(schema, `no JSON body documented for POST ${path}`)
    return schema
  }

  test('v2 single adds: the documented envelope and fields are what is required and allowed', async () => {
    for (const type of TYPES) {
      const schema = await bodyOf(v2Path(type.name))
      assert.equal(schema.additionalProperties, false, type.name)
      const fields = schema.properties.fields!
      assert.deepEqual(fields, asJson(getCredentialType(type.name)!.fields), `${type.name}: documented fields`)
      const response = await post(v2Path(type.name), { credential_id: `doc-${type.name}`, fields: {}, unknown: 1 })
      assert.equal(response.status, 400, response.text)
      assert.deepEqual(missing(response.body.errors), under('/fields', fields), `${type.name}: ${response.text}`)
      assert.ok(
        response.body.errors.some((e: Issue) => e.pointer === '/unknown' && e.message === NOT_ALLOWED),
        response.text,
      )
      const empty = await post(v2Path(type.name), {})
      assert.deepEqual(missing(empty.body.errors), under('', schema), type.name)
    }
  })

  test('v1 single adds: the documented envelope and fields are what is required and allowed', async () => {
    for (const type of V1_TYPES) {
      const schema = await bodyOf(v1Path(type.name))
      assert.equal(schema.additionalProperties, false, type.name)
      const data = schema.properties.data!
      assert.deepEqual(data.properties.credential, asJson(getCredentialType(type.name)!.fields), type.name)
      const empty = await post(v1Path(type.name), { extra: true })
      assert.deepEqual(missing(empty.body.errors), under('', schema), type.name)
      assert.ok(empty.body.errors.some((e: Issue) => e.pointer === '/extra' && e.message === NOT_ALLOWED))
      const noData = await post(v1Path(type.name), {
        id: `doc-${type.name}`,
        credential_type: type.name,
        document_type: type.v1NoDocument,
        data: { credential: {} },
      })
      // Spec §4.4: digital identity's assurance fields are required on v1 single adds only, a rule
      // beside the schema (their documentation says so).
      const v1Only =
        type.name === 'digital_identity'
          ? ['identity_document_liveness', 'identity_document_person_match', 'identity_document_validity']
          : []
      assert.deepEqual(
        missing(noData.body.errors),
        [
          ...under('/data/credential', data.properties.credential!),
          ...v1Only.map((f) => `/data/credential/${f}`),
        ].sort(),
        `${type.name}: ${noData.text}`,
      )
    }
  })

  test('v2 batch: one documented section per type, items with their type’s fields', async () => {
    const schema = await bodyOf(V2_BATCH)
    assert.equal(schema.additionalProperties, false)
    assert.deepEqual(Object.keys(schema.properties).sort(), ['credential_id', ...TYPES.map((t) => t.batchKey)].sort())
    const body: Record<string, unknown> = { credential_id: 'doc-batch', diploma_items: [] }
    const expected: string[] = []
    for (const type of TYPES) {
      const section = schema.properties[type.batchKey]!
      const item = type.batchKind === 'array' ? section.items! : section
      assert.deepEqual(item.properties.fields, asJson(getCredentialType(type.name)!.fields), type.name)
      const at = type.batchKind === 'array' ? `/${type.batchKey}/0` : `/${type.batchKey}`
      body[type.batchKey] = type.batchKind === 'array' ? [{ fields: {} }] : { fields: {} }
      expected.push(`${at}/credential_id`, ...under(`${at}/fields`, item.properties.fields!))
    }
    const response = await post(V2_BATCH, body)
    assert.equal(response.status, 400, response.text)
    assert.deepEqual(missing(response.body.errors), expected.sort(), response.text)
    assert.ok(response.body.errors.some((e: Issue) => e.pointer === '/diploma_items' && e.message === NOT_ALLOWED))
  })

  test('v1 batch: the documented envelope is what is required and allowed', async () => {
    const schema = await bodyOf(V1_BATCH)
    assert.equal(schema.additionalProperties, false)
    const item = schema.properties.credentials!.items!
    assert.deepEqual(schema.required, ['id', 'credentials'])
    const response = await post(V1_BATCH, { credentials: [{ extra: 1 }] })
    assert.equal(response.status, 400, response.text)
    assert.deepEqual(missing(response.body.errors), ['/id', ...under('/credentials/0', item)].sort())
    assert.ok(
      response.body.errors.some((e: Issue) => e.pointer === '/credentials/0/extra' && e.message === NOT_ALLOWED),
    )
  })

  test('token endpoint: grant_type is documented as required, and its absence is an OAuth invalid_request', async () => {
    const schema = await bodyOf('/api/partner/v1/oauth/token.json')
    assert.deepEqual(schema.required, ['grant_type'])
    const response = await use().request('POST', '/api/partner/v1/oauth/token.json', { json: { scope: 'x' } })
    assert.equal(response.status, 400)
    assert.equal(response.body.error, 'invalid_request')
    assert.match(response.body.error_description, /grant_type is required/)
  })
})
