import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { WEBHOOK_EVENT_TYPES } from '../../src/db/schema.js'
import { perform as deliverWebhooks } from '../../src/jobs/deliver-webhooks.js'
import { markAssetRejected } from '../../src/modules/assets/index.js'
import {
  acceptByHolder,
  bindHolder,
  declineByHolder,
  expireSubmissions,
  listAssetsOf,
} from '../../src/modules/submissions/index.js'
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../src/modules/webhooks/index.js'
import { spokenDuration } from '../../src/plugins/openapi-webhooks.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { revokePath, withdrawPath } from '../corrections/support.js'
import { uploadThroughLink } from '../support/asset-factory.js'
import { DocumentSchemas, type OpenApiDocument } from '../support/contract.js'
import { newHolder, partnerWithEndpointAndSubmission, startReceiver, submit, type Received } from './support.js'

/**
 * The event bodies are a contract: /openapi.json documents each event type as an OpenAPI 3.1
 * `webhooks` entry, and the bodies a real receiver gets — one of every type, made by the real
 * lifecycle and asset code and sent by the real delivery job — match the documented schema of
 * their type (and not another type's), with the documented Standard Webhooks headers.
 */

type Receiver = Awaited<ReturnType<typeof startReceiver>>
const bodySchema = (type: string) => ['webhooks', type, 'post', 'requestBody', 'content', 'application/json', 'schema']

/** Every event type, caused the way the product causes it, and delivered to `receiver`. */
async function deliverOneOfEach(t: TestApp, receiver: Receiver): Promise<Received[]> {
  const { token, submission, uploads } = await partnerWithEndpointAndSubmission(t, receiver.url)
  const pdf = uploads.find((u) => u.content_type === 'application/pdf')!
  assert.equal((await uploadThroughLink(t, pdf, 'pdf')).status, 201) // asset.received
  const other = (await listAssetsOf(t.deps.db, [submission.id])).find((a) => a.state === 'awaiting_upload')!
  await t.deps.db.transaction((tx) =>
    markAssetRejected(tx, other.id, { states: ['awaiting_upload'], source: other.source }, 'too_large', t.clock.now()),
  ) // asset.rejected
  const holderId = await newHolder(t)
  await bindHolder(t.deps, { submissionId: submission.id, holderId }) // submission.opened
  await acceptByHolder(t.deps, { submissionId: submission.id, holderId }) // submission.verified
  const revoked = await t.request('POST', revokePath(`${submission.partnerRef}-edu-1`), {
    json: { reason: 'Issued in error' },
    token,
  })
  assert.equal(revoked.status, 200, revoked.text) // credential.revoked
  const withdrawn = await submit(t, token)
  const deleted = await t.request('DELETE', withdrawPath(withdrawn.submission.partnerRef), { token })
  assert.equal(deleted.status, 200, deleted.text) // submission.withdrawn
  const declined = await submit(t, token)
  await bindHolder(t.deps, { submissionId: declined.submission.id, holderId })
  await declineByHolder(t.deps, { submissionId: declined.submission.id, holderId }) // submission.canceled
  await submit(t, token)
  const start = t.clock.now()
  try {
    t.clock.advance(t.config.submissionTtlMs + 1000)
    while ((await expireSubmissions(t.deps, { limit: 100 })) > 0) {} // submission.expired
    while ((await deliverWebhooks(t.deps, { limit: 20 })) > 0) {}
  } finally {
    t.clock.set(start)
  }
  return receiver.received
}

describeEachBackend(
  'webhook events: the documented schemas are the bodies delivered',
  (use) => {
    let receiver: Receiver
    before(async () => {
      receiver = await startReceiver()
    })
    after(() => receiver.close())

    test('the document has one webhook per event type: its headers, answers and retry schedule', async () => {
      const document = (await use().request('GET', '/openapi.json')).body
      assert.deepEqual(Object.keys(document.webhooks).sort(), [...WEBHOOK_EVENT_TYPES].sort())
      for (const type of WEBHOOK_EVENT_TYPES) {
        const operation = document.webhooks[type].post
        assert.deepEqual(
          operation.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]),
          [
            ['webhook-id', 'header', true],
            ['webhook-timestamp', 'header', true],
            ['webhook-signature', 'header', true],
          ],
        )
        assert.deepEqual(Object.keys(operation.responses).sort(), ['2XX', '410', '429', '503', 'default'])
        for (const status of ['429', '503']) assert.ok(operation.responses[status].headers['Retry-After'], status)
        assert.equal(operation.requestBody.content['application/json'].schema.properties.type.const, type)
        // The schedule is the delivery code's, not a copy: every wait and the attempt count.
        assert.match(operation.description, new RegExp(RETRY_DELAYS_MS.map(spokenDuration).join(', ')))
        assert.match(operation.description, new RegExp(`at most ${MAX_ATTEMPTS} attempts`))
      }
      assert.equal(spokenDuration(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)), '27 h 35 min 5 s')
    })

    test('a body of every type, made by the real code and delivered, matches its documented schema', async () => {
      const t = use()
      receiver.received.length = 0
      const received = await deliverOneOfEach(t, receiver)
      const schemas = new DocumentSchemas((await t.request('GET', '/openapi.json')).body as OpenApiDocument)
      const types = received.map((r) => JSON.parse(r.body).type as string)
      assert.deepEqual([...new Set(types)].sort(), [...WEBHOOK_EVENT_TYPES].sort(), types.join(', '))
      for (const request of received) {
        const body = JSON.parse(request.body)
        assert.deepEqual(schemas.validate(bodySchema(body.type), body), [], request.body)
        for (const other of WEBHOOK_EVENT_TYPES.filter((o) => o !== body.type)) {
          assert.notDeepEqual(schemas.validate(bodySchema(other), body), [], `${body.type} is not ${other}`)
        }
        for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature'])
          assert.ok(request.headers[header], header)
        assert.equal(request.headers['webhook-id'], body.event_id)
      }
      // The check can fail: an extra member, or a status its type never has.
      const verified = JSON.parse(received.find((r) => r.body.includes('"submission.verified"'))!.body)
      assert.notDeepEqual(schemas.validate(bodySchema('submission.verified'), { ...verified, extra: 1 }), [])
      const wrong = { ...verified, data: { ...verified.data, status: 'canceled' } }
      assert.notDeepEqual(schemas.validate(bodySchema('submission.verified'), wrong), [])
    })
  },
  { OUTBOUND_ALLOW_PRIVATE: 'true' },
)
