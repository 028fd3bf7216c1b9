import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHmac, randomUUID } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import { holders, submissions, webhookDeliveries, webhookEvents } from '../../src/db/schema.js'
import type { TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { freshBatch, V2_BATCH } from '../support/intake-helpers.js'

export const WEBHOOKS = '/api/partner/v2/webhooks'

/** A partner with a token and one endpoint at `url`, and a v2 batch submitted by it (not bound yet). */
export async function partnerWithEndpointAndSubmission(
  t: TestApp,
  url = 'https://hooks.example.com/credport',
  endpoint: Record<string, unknown> = {},
) {
  const { client, token } = await makePartnerWithToken(t)
  const created = await t.request('POST', WEBHOOKS, { token, json: { url, ...endpoint } })
  assert.equal(created.status, 201, created.text)
  const submission = await submit(t, token)
  return { client, token, endpoint: created.body, ...submission }
}

/** A v2 batch submitted with `token`: its row and upload links. */
export async function submit(t: TestApp, token: string) {
  const { id, body } = freshBatch()
  const response = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(response.status, 201, response.text)
  const [submission] = await t.deps.db.select().from(submissions).where(eq(submissions.partnerRef, id))
  return {
    submission: submission!,
    uploads: response.body.asset_uploads as Array<{ asset_id: string; url: string; content_type: string }>,
  }
}

/** A new holder's id. */
export async function newHolder(t: TestApp): Promise<string> {
  const holderId = randomUUID()
  await t.deps.db.insert(holders).values({ id: holderId, email: `${holderId}@example.test` })
  return holderId
}

/** The events of a submission, in order. */
export async function eventsOf(t: TestApp, submissionId: string) {
  return t.deps.db
    .select()
    .from(webhookEvents)
    .where(eq(webhookEvents.submissionId, submissionId))
    .orderBy(asc(webhookEvents.seq))
}

/** The deliveries to an endpoint, in event order. */
export async function deliveriesTo(t: TestApp, endpointId: string) {
  return t.deps.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(asc(webhookDeliveries.eventSeq))
}

/** One request a receiver got. */
export interface Received {
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * A real HTTP receiver on loopback: answers each request with the next queued answer (200 when
 * none is queued) and keeps what it got.
 */
export async function startReceiver() {
  const received: Received[] = []
  const answers: Array<{ status: number; headers?: Record<string, string> }> = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') })
      const answer = answers.shift() ?? { status: 200 }
      response.writeHead(answer.status, answer.headers).end('receiver body that must not be stored')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Verifies a Standard Webhooks signature header independently: one of its `v1,` signatures matches. */
export function signatureMatches(secret: string, received: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const id = received.headers['webhook-id'] as string
  const timestamp = received.headers['webhook-timestamp'] as string
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${received.body}`).digest('base64')
  return (received.headers['webhook-signature'] as string).split(' ').includes(`v1,${expected}`)
}
