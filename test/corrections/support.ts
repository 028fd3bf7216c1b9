import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { and, asc, eq } from 'drizzle-orm'
import { holders, submissions, webhookEvents } from '../../src/db/schema.js'
import { acceptByHolder, bindHolder } from '../../src/modules/submissions/index.js'
import type { ClientCredentials } from '../../src/modules/admin/admin.schemas.js'
import type { TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../support/intake-helpers.js'

const clientIdOf = (redirectUri: string) => parseRedirect(redirectUri).params.clientId!

export const withdrawPath = (id: string) => `/api/partner/v2/add/requests/${encodeURIComponent(id)}`
export const revokePath = (credentialId: string) =>
  `/api/partner/v2/credentials/${encodeURIComponent(credentialId)}/revoke`

/**
 * The v2 batch sample (with fresh ids, unless `body` is given) sent by a partner (a new one unless
 * `token` is given): its ids, row and answer.
 */
export async function sentBatch(t: TestApp, token?: string, body?: { credential_id: string }) {
  const partner: { token: string; client?: ClientCredentials } = token ? { token } : await makePartnerWithToken(t)
  const { id, body: batch } = body ? { id: body.credential_id, body } : freshBatch()
  const created = await t.request('POST', V2_BATCH, { json: batch, token: partner.token })
  assert.equal(created.status, 201, created.text)
  const [submission] = await t.deps.db
    .select()
    .from(submissions)
    .where(and(eq(submissions.partnerRef, id), eq(submissions.clientId, clientIdOf(created.body.redirect_uri))))
  return {
    id,
    token: partner.token,
    client: partner.client,
    submission: submission!,
    uploads: created.body.asset_uploads as Array<{ asset_id: string; url: string; content_type: string }>,
    redirectUri: created.body.redirect_uri as string,
  }
}

/** A new holder's id. */
export async function newHolder(t: TestApp): Promise<string> {
  const holderId = randomUUID()
  await t.deps.db.insert(holders).values({ id: holderId, email: `${holderId}@example.test` })
  return holderId
}

/** A batch sent, then accepted by a new holder; `credentialId` names its first education credential. */
export async function acceptedBatch(t: TestApp, token?: string, body?: { credential_id: string }) {
  const sent = await sentBatch(t, token, body)
  const holderId = await newHolder(t)
  await bindHolder(t.deps, { submissionId: sent.submission.id, holderId })
  await acceptByHolder(t.deps, { submissionId: sent.submission.id, holderId })
  return { ...sent, holderId, credentialId: `${sent.id}-edu-1` }
}

/** The types of a submission's events, in order. */
export async function eventTypesOf(t: TestApp, submissionId: string): Promise<string[]> {
  const rows = await t.deps.db
    .select()
    .from(webhookEvents)
    .where(eq(webhookEvents.submissionId, submissionId))
    .orderBy(asc(webhookEvents.seq))
  return rows.map((row) => row.type)
}
