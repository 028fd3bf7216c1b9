import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { partners, type WebhookEndpointRow } from '../../db/schema.js'
import { AppError, notFound, validationError } from '../../errors.js'
import type { Clock } from '../../lib/clock.js'
import {
  countEndpoints,
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listEndpoints,
  updateEndpoint,
  type NewEndpoint,
} from './endpoints.repo.js'
import { newEndpointSecret, type SecretBox } from './secrets.js'
import { endpointUrlIssues, resolvedAddressIssues } from './url-policy.js'

/** Most endpoints one partner may have. */
export const MAX_ENDPOINTS_PER_PARTNER = 10
/** How long the secret before a rotation keeps signing beside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000

/** What endpoint management needs. */
export interface EndpointDeps {
  db: Db
  clock: Clock
  secretBox: SecretBox
  config: { outboundAllowPrivate: boolean }
}

export interface EndpointInput {
  url?: string
  name?: string | null
  description?: string | null
  event_types?: string[] | null
  enabled?: boolean
}

const ENDPOINT_NOT_FOUND = 'No webhook endpoint of yours has this id'

async function checkUrl(deps: EndpointDeps, url: string | undefined): Promise<void> {
  if (url === undefined) return
  const issues = endpointUrlIssues(url, deps.config.outboundAllowPrivate)
  if (issues.length === 0) issues.push(...(await resolvedAddressIssues(url, deps.config.outboundAllowPrivate)))
  if (issues.length > 0) throw validationError(issues)
}

/**
 * create: a new endpoint for the partner (at most 10), with a new secret, returned here once
 * (and at rotation) only: the row keeps it encrypted.
 */
export async function createEndpoint(
  deps: EndpointDeps,
  partnerId: string,
  input: EndpointInput & { url: string },
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  await checkUrl(deps, input.url)
  const secret = newEndpointSecret()
  const id = randomUUID()
  const now = deps.clock.now()
  const endpoint = await deps.db.transaction(async (tx) => {
    // The partner row serialises concurrent creations, so the limit holds.
    await tx.select({ id: partners.id }).from(partners).where(eq(partners.id, partnerId)).for('update')
    if ((await countEndpoints(tx, partnerId)) >= MAX_ENDPOINTS_PER_PARTNER) {
      throw new AppError(
        'webhook_limit',
        `A partner may have at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints; delete one first`,
        { limit: MAX_ENDPOINTS_PER_PARTNER },
      )
    }
    return insertEndpoint(tx, {
      id,
      partnerId,
      url: input.url,
      name: input.name ?? null,
      description: input.description ?? null,
      eventTypes: input.event_types ?? null,
      enabled: input.enabled ?? true,
      disabledReason: input.enabled === false ? 'partner' : null,
      secretCiphertext: deps.secretBox.seal(secret, id),
      createdAt: now,
      updatedAt: now,
    })
  })
  return { endpoint, secret }
}

/** The partner's endpoints. */
export async function listPartnerEndpoints(deps: EndpointDeps, partnerId: string): Promise<WebhookEndpointRow[]> {
  return listEndpoints(deps.db, partnerId)
}

/** One endpoint of the partner; `not_found` for an unknown id or another partner's. */
export async function getEndpoint(deps: EndpointDeps, partnerId: string, id: string): Promise<WebhookEndpointRow> {
  const row = await findEndpoint(deps.db, partnerId, id)
  if (!row) throw notFound(ENDPOINT_NOT_FOUND)
  return row
}

/** change: url, name, description, event types; `enabled: true` re-enables a disabled endpoint. */
export async function changeEndpoint(
  deps: EndpointDeps,
  partnerId: string,
  id: string,
  input: EndpointInput,
): Promise<WebhookEndpointRow> {
  await checkUrl(deps, input.url)
  const values: Partial<NewEndpoint> = { updatedAt: deps.clock.now() }
  if (input.url !== undefined) values.url = input.url
  if (input.name !== undefined) values.name = input.name
  if (input.description !== undefined) values.description = input.description
  if (input.event_types !== undefined) values.eventTypes = input.event_types
  if (input.enabled !== undefined) {
    values.enabled = input.enabled
    values.disabledReason = input.enabled ? null : 'partner'
  }
  const row = await updateEndpoint(deps.db, partnerId, id, values)
  if (!row) throw notFound(ENDPOINT_NOT_FOUND)
  return row
}

/**
 * rotate: a new secret, returned once; the previous one keeps signing beside it (two signatures)
 * for 24 hours, so receivers can switch without losing events.
 */
export async function rotateEndpointSecret(
  deps: EndpointDeps,
  partnerId: string,
  id: string,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const secret = newEndpointSecret()
  const now = deps.clock.now()
  const endpoint = await deps.db.transaction(async (tx) => {
    const current = await findEndpoint(tx, partnerId, id, { lock: true })
    if (!current) throw notFound(ENDPOINT_NOT_FOUND)
    const updated = await updateEndpoint(tx, partnerId, id, {
      secretCiphertext: deps.secretBox.seal(secret, id),
      previousSecretCiphertext: current.secretCiphertext,
      previousSecretUntil: new Date(now.getTime() + ROTATION_OVERLAP_MS),
      updatedAt: now,
    })
    return updated!
  })
  return { endpoint, secret }
}

/** delete: the endpoint and its delivery log. */
export async function removeEndpoint(deps: EndpointDeps, partnerId: string, id: string): Promise<void> {
  if (!(await deleteEndpoint(deps.db, partnerId, id))) throw notFound(ENDPOINT_NOT_FOUND)
}
