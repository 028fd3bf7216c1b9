import { randomUUID } from 'node:crypto'
import type { Db } from '../../db/client.js'
import { AppError, notFound, validationError } from '../../errors.js'
import type { Clock } from '../../lib/clock.js'
import { hashSecret, randomToken } from '../../lib/crypto.js'
import type { ClientDirectory } from '../oauth/index.js'
import {
  findClient,
  insertClient,
  listClientsOfPartners,
  markClientRevoked,
  replaceClientSecret,
  type OAuthClientRow,
} from '../oauth/index.js'
import { isScope } from '../oauth/index.js'
import type { ClientCredentials, ClientView, PartnerView } from './admin.schemas.js'
import { checkSupportContact } from './issuer-profile.js'
import { logoView } from './partner-logo.js'
import {
  findPartner,
  insertPartner,
  listLogoSummaries,
  listPartners,
  updatePartner,
  type LogoSummary,
  type PartnerRow,
} from './partners.repo.js'

interface AdminDeps {
  db: Db
  clock: Clock
  clients: ClientDirectory
}

function checkScopes(scopes: string[], pointer: string): void {
  const unknown = scopes.map((s, i) => ({ s, i })).filter(({ s }) => !isScope(s))
  if (unknown.length > 0) {
    throw validationError(
      unknown.map(({ s, i }) => ({ pointer: `${pointer}/${i}`, message: `unknown scope ${JSON.stringify(s)}` })),
    )
  }
}

async function newClient(deps: AdminDeps, partnerId: string, scopes: string[]): Promise<ClientCredentials> {
  const secret = `cps_${randomToken(32)}`
  const row = await insertClient(deps.db, {
    clientId: `cpc_${randomToken(12)}`,
    partnerId,
    secretHash: await hashSecret(secret),
    scopes: [...new Set(scopes)],
    createdAt: deps.clock.now(),
  })
  return { partner_id: partnerId, client_id: row.clientId, client_secret: secret, scopes: row.scopes }
}

/** Registers a partner with its first OAuth client; the secret is returned once. */
export async function createPartner(
  deps: AdminDeps,
  input: { name: string; displayName: string; supportContact?: string; scopes: string[]; documentHosts?: string[] },
): Promise<ClientCredentials> {
  checkScopes(input.scopes, '/scopes')
  const supportContact =
    input.supportContact === undefined ? null : checkSupportContact(input.supportContact, '/support_contact')
  const partner = await insertPartner(deps.db, {
    id: randomUUID(),
    name: input.name.trim(),
    displayName: input.displayName.trim(),
    supportContact,
    documentHosts: [...new Set((input.documentHosts ?? []).map((h) => h.toLowerCase()))],
    createdAt: deps.clock.now(),
  })
  return newClient(deps, partner.id, input.scopes)
}

/** Changes what holders see of a partner: its display name and support contact (null removes it). */
export async function updatePartnerProfile(
  deps: AdminDeps,
  partnerId: string,
  changes: { displayName?: string; supportContact?: string | null },
): Promise<PartnerView> {
  const set: Parameters<typeof updatePartner>[2] = {}
  if (changes.displayName !== undefined) set.displayName = changes.displayName.trim()
  if (changes.supportContact !== undefined)
    set.supportContact =
      changes.supportContact === null ? null : checkSupportContact(changes.supportContact, '/support_contact')
  const updated = await updatePartner(deps.db, partnerId, set)
  if (!updated) throw notFound(`No partner ${partnerId}`)
  return getPartner(deps, partnerId)
}

/** Adds another client to a partner (e.g. to rotate credentials without downtime). */
export async function createClientForPartner(
  deps: AdminDeps,
  partnerId: string,
  scopes?: string[],
): Promise<ClientCredentials> {
  const partner = await findPartner(deps.db, partnerId)
  if (!partner) throw notFound(`No partner ${partnerId}`)
  let granted = scopes
  if (granted) checkScopes(granted, '/scopes')
  else {
    // Default: the union of the scopes the partner's clients hold.
    const existing = await listClientsOfPartners(deps.db, [partnerId])
    granted = [...new Set(existing.flatMap((c) => c.scopes))]
  }
  return newClient(deps, partnerId, granted)
}

/** Replaces a client's secret at once; the old secret stops working, tokens already issued stay valid. */
export async function rotateClientSecret(deps: AdminDeps, clientId: string): Promise<ClientCredentials> {
  const secret = `cps_${randomToken(32)}`
  const row = await replaceClientSecret(deps.db, clientId, await hashSecret(secret), deps.clock.now())
  if (!row) throw await clientProblem(deps, clientId)
  await deps.clients.changed(clientId)
  return { partner_id: row.partnerId, client_id: row.clientId, client_secret: secret, scopes: row.scopes }
}

/** Revokes a client: its secret and every token issued to it stop working. */
export async function revokeClient(deps: AdminDeps, clientId: string): Promise<ClientView> {
  const row = await markClientRevoked(deps.db, clientId, deps.clock.now())
  if (!row) throw await clientProblem(deps, clientId)
  await deps.clients.changed(clientId)
  return clientView(row)
}

async function clientProblem(deps: AdminDeps, clientId: string): Promise<AppError> {
  const existing = await findClient(deps.db, clientId)
  return existing ? new AppError('conflict', `Client ${clientId} is revoked`) : notFound(`No client ${clientId}`)
}

/** Every partner with its clients, oldest first. */
export async function listPartnersWithClients(deps: AdminDeps): Promise<PartnerView[]> {
  const all = await listPartners(deps.db)
  const ids = all.map((p) => p.id)
  const [clients, logos] = await Promise.all([listClientsOfPartners(deps.db, ids), listLogoSummaries(deps.db, ids)])
  return all.map((p) =>
    partnerView(
      p,
      clients.filter((c) => c.partnerId === p.id),
      logos.find((l) => l.partnerId === p.id),
    ),
  )
}

export async function getPartner(deps: AdminDeps, partnerId: string): Promise<PartnerView> {
  const partner = await findPartner(deps.db, partnerId)
  if (!partner) throw notFound(`No partner ${partnerId}`)
  const [clients, logos] = await Promise.all([
    listClientsOfPartners(deps.db, [partnerId]),
    listLogoSummaries(deps.db, [partnerId]),
  ])
  return partnerView(partner, clients, logos[0])
}

function partnerView(p: PartnerRow, clients: OAuthClientRow[], logo: LogoSummary | undefined): PartnerView {
  return {
    partner_id: p.id,
    name: p.name,
    display_name: p.displayName ?? p.name,
    support_contact: p.supportContact,
    logo: logo ? logoView(logo) : null,
    status: p.status,
    document_hosts: p.documentHosts,
    created_at: p.createdAt.toISOString(),
    clients: clients.map(clientView),
  }
}

function clientView(c: OAuthClientRow): ClientView {
  return {
    client_id: c.clientId,
    scopes: c.scopes,
    created_at: c.createdAt.toISOString(),
    secret_rotated_at: c.secretRotatedAt?.toISOString() ?? null,
    revoked_at: c.revokedAt?.toISOString() ?? null,
  }
}
