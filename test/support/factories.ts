import { randomUUID } from 'node:crypto'
import type { ClientCredentials } from '../../src/modules/admin/admin.schemas.js'
import { createPartner } from '../../src/modules/admin/partners.service.js'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'
import assert from 'node:assert/strict'
import { eq } from 'drizzle-orm'
import { holders, submissions } from '../../src/db/schema.js'
import { bindHolder } from '../../src/modules/submissions/index.js'
import type { TestApp } from './app.js'
import { freshBatch, V2_BATCH } from './intake-helpers.js'

export interface MakePartnerOptions {
  scopes?: string[]
  name?: string
  displayName?: string
  /** An email address or https URL holders may turn to. */
  supportContact?: string
  documentHosts?: string[]
}

/** A new partner with unique values and one client holding `scopes` (default: all). */
export async function makePartner(t: TestApp, options: MakePartnerOptions = {}): Promise<ClientCredentials> {
  const name = options.name ?? `Partner ${randomUUID().slice(0, 8)}`
  return createPartner(t.deps, {
    name,
    displayName: options.displayName ?? name,
    supportContact: options.supportContact,
    scopes: options.scopes ?? [...ALL_SCOPES],
    documentHosts: options.documentHosts,
  })
}

/** An access token for a client, through the real token endpoint. */
export async function tokenFor(t: TestApp, client: ClientCredentials, scope?: string): Promise<string> {
  const response = await t.request('POST', '/api/partner/v1/oauth/token.json', {
    json: {
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
      ...(scope ? { scope } : {}),
    },
  })
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.text}`)
  return response.body.access_token
}

/** A partner and a token for it in one step. */
export async function makePartnerWithToken(t: TestApp, options: { scopes?: string[]; tokenScope?: string } = {}) {
  const client = await makePartner(t, options)
  return { client, token: await tokenFor(t, client, options.tokenScope) }
}

/**
 * The v2 batch sample submitted by a new partner and bound to a new holder: the submission row,
 * the holder's id, the partner's token and the upload links of the answer.
 */
export async function makeBoundSubmission(t: TestApp) {
  const { token } = await makePartnerWithToken(t)
  const { id, body } = freshBatch()
  const created = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(created.status, 201, created.text)
  const [submission] = await t.deps.db.select().from(submissions).where(eq(submissions.partnerRef, id))
  const holderId = randomUUID()
  await t.deps.db.insert(holders).values({ id: holderId, email: `${holderId}@example.test` })
  await bindHolder(t.deps, { submissionId: submission!.id, holderId })
  return {
    submission: submission!,
    holderId,
    token,
    uploads: created.body.asset_uploads as Array<{ asset_id: string; url: string }>,
  }
}
