import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { CredportWebhookError, verifyWebhook } from '../../src/client/index.js'

/** verifyWebhook (Standard Webhooks), checked against signatures made with node:crypto as a sender would. */

const key = randomBytes(24)
const secret = `whsec_${key.toString('base64')}`
const body = JSON.stringify({ event_id: 'evt_1', type: 'submission.verified', data: { id: 'A-1', status: 'verified' } })
const now = new Date('2026-12-01T12:00:00Z')
const ts = String(Math.floor(now.getTime() / 1000))
const sign = (id: string, timestamp: string, payload: string, with_ = key) =>
  `v1,${createHmac('sha256', with_).update(`${id}.${timestamp}.${payload}`).digest('base64')}`
const headers = (signature: string, timestamp = ts) => ({
  'webhook-id': 'msg_1',
  'webhook-timestamp': timestamp,
  'webhook-signature': signature,
})
const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (e: unknown) => (e instanceof CredportWebhookError ? e.reason : String(e)),
  )

test('a delivery signed with the secret is accepted and parsed (Headers or a plain object, string or bytes)', async () => {
  const event = await verifyWebhook<{ type: string }>(headers(sign('msg_1', ts, body)), body, secret, { now })
  assert.equal(event.type, 'submission.verified')
  const fromHeaders = new Headers(headers(sign('msg_1', ts, body)))
  assert.deepEqual(await verifyWebhook(fromHeaders, new TextEncoder().encode(body), secret, { now }), JSON.parse(body))
})

test('any of several space-separated signatures may match (secret rotation)', async () => {
  const other = sign('msg_1', ts, body, randomBytes(24))
  const both = `${other} v1a,xyz ${sign('msg_1', ts, body)}`
  assert.equal(await reasonOf(verifyWebhook(headers(both), body, secret, { now })), 'accepted')
})

test('a changed body, id, or another secret is refused', async () => {
  const signature = sign('msg_1', ts, body)
  assert.equal(await reasonOf(verifyWebhook(headers(signature), `${body} `, secret, { now })), 'no_matching_signature')
  assert.equal(
    await reasonOf(verifyWebhook({ ...headers(signature), 'webhook-id': 'msg_2' }, body, secret, { now })),
    'no_matching_signature',
  )
  const otherSecret = `whsec_${randomBytes(24).toString('base64')}`
  assert.equal(await reasonOf(verifyWebhook(headers(signature), body, otherSecret, { now })), 'no_matching_signature')
})

test('timestamps more than 5 minutes away are refused, signed or not', async () => {
  const old = String(Number(ts) - 301)
  assert.equal(
    await reasonOf(verifyWebhook(headers(sign('msg_1', old, body), old), body, secret, { now })),
    'timestamp_out_of_range',
  )
  const edge = String(Number(ts) - 300)
  assert.equal(
    await reasonOf(verifyWebhook(headers(sign('msg_1', edge, body), edge), body, secret, { now })),
    'accepted',
  )
  const future = String(Number(ts) + 301)
  assert.equal(
    await reasonOf(verifyWebhook(headers(sign('msg_1', future, body), future), body, secret, { now })),
    'timestamp_out_of_range',
  )
})

test('missing headers are refused', async () => {
  assert.equal(await reasonOf(verifyWebhook({}, body, secret, { now })), 'missing_headers')
})
