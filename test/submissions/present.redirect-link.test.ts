import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import {
  V1_BATCH,
  V2_BATCH,
  example,
  freshBatch,
  v1BatchOf,
  v1Body,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/**
 * The holder link keeps the exact form the public documentation prints (spec §10): on v1 single
 * adds `#clientId={client_id}&documentType={document_type}&content={request_id}`, in this order
 * (the public example: `…/partner/add/education#clientId=…&documentType=open_cert&content=…`); on
 * batches (v1 and v2) and v2 adds `#clientId={client_id}&content={request_id}`. Partners and the
 * hosted holder page may read the fragment by position, so the order is part of the wire format.
 * The expected links are written out in full, not built by a helper shared with other tests.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** The whole link, `content` being any uuid. */
const link = (path: string, fragmentBeforeContent: string) =>
  new RegExp(`^http://credport\\.test/partner/add/${path}#${escapeRegExp(fragmentBeforeContent)}&content=${UUID}$`)

describeEachBackend('the holder link, exactly as documented', (use) => {
  test('v1 single add: #clientId=…&documentType=…&content=…, in this order (the public example)', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t)
    const sample = { ...example('v1-education-open-cert.json'), id: `seek-pass-test-${randomUUID()}` }
    const education = await t.request('POST', '/api/partner/v1/add/education.json', { json: sample, token })
    assert.equal(education.status, 201, education.text)
    assert.match(education.body.redirect_uri, link('education', `clientId=${client.client_id}&documentType=open_cert`))

    const rightToWork = await t.request('POST', '/api/partner/v1/add/right_to_work.json', {
      json: v1Body('right_to_work'),
      token,
    })
    assert.equal(rightToWork.status, 201, rightToWork.text)
    assert.match(rightToWork.body.redirect_uri, link('rightToWork', `clientId=${client.client_id}&documentType=none`))

    // A replay answers the very same link, order included.
    const replay = await t.request('POST', '/api/partner/v1/add/education.json', { json: sample, token })
    assert.equal(replay.status, 201, replay.text)
    assert.equal(replay.body.redirect_uri, education.body.redirect_uri)
  })

  test('batches (v1 and v2) and v2 adds: #clientId=…&content=…, without documentType', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t)
    const cases: Array<[string, unknown, string]> = [
      [V1_BATCH, v1BatchOf(['education', 'digital_identity']), 'batch'],
      [V2_BATCH, freshBatch().body, 'batch'],
      [v2Path('education'), v2Body('education'), 'education'],
      [v2Path('right_to_work', false), v2Body('right_to_work'), 'rightToWork'],
    ]
    for (const [path, json, linkPath] of cases) {
      const response = await t.request('POST', path, { json, token })
      assert.equal(response.status, 201, `${path}: ${response.text}`)
      assert.match(response.body.redirect_uri, link(linkPath, `clientId=${client.client_id}`), path)
    }
  })
})
