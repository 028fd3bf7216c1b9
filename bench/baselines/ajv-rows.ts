// Second baseline for the batch scenario: the least a server can do that stores a v2 batch the way
// Credport does. Fastify parses the JSON body, ajv validates it as in ajv-jsonb
// (bench/baselines/batch-server.ts), and its submission, credentials and assets are stored as rows
// of Credport's own schema — same type names, display titles, keys, foreign keys and indexes — by
// Credport's own one-statement insert (insertSubmission of insert-groups.ts, prepared on PostgreSQL,
// the submissions of requests that arrive meanwhile stored together as Credport does); 201 with a
// redirect-like JSON and no upload links. What Credport spends beyond this is its own work per
// request (authentication, the validation rules of every type, the idempotency hash, upload
// links); what ajv-jsonb spends less is the price of storing rows at all.
//   DATABASE_URL set → PostgreSQL through a pool of 10 (Credport's default DATABASE_POOL_MAX);
//   else PGLITE_DIR  → PGlite in that folder, with Credport's start parameters.
import { randomUUID } from 'node:crypto'
import { openPglite, openPostgres } from '../../src/db/client.js'
import { partners } from '../../src/db/schema.js'
import { credentialTypes } from '../../src/modules/credential-types/registry.js'
import type { CredentialTypeDefinition } from '../../src/modules/credential-types/types.js'
import { insertSubmission } from '../../src/modules/submissions/insert-groups.js'
import type { NewAssetRow, NewItemRow, NewSubmissionRows } from '../../src/modules/submissions/submissions.repo.js'
import { serveBatchBaseline } from './batch-server.js'

const SUBMISSION_TTL_MS = 48 * 3600_000

const url = process.env.DATABASE_URL
const dir = process.env.PGLITE_DIR
if (!url && !dir) throw new Error('ajv-rows baseline: set DATABASE_URL or PGLITE_DIR')
const database = url ? await openPostgres(url, 10) : await openPglite({ dataDir: dir })
await database.migrate()
const partnerId = randomUUID()
await database.db.insert(partners).values({ id: partnerId, name: 'ajv-rows baseline' })

interface BatchItem {
  credential_id: string
  fields?: Record<string, unknown>
  assets?: Array<{ asset_id: string; asset_type: string }>
}

/** Every credential of a validated batch with its type, in the registry's order of sections (as Credport stores them). */
function itemsOf(body: Record<string, unknown>): Array<{ def: CredentialTypeDefinition; item: BatchItem }> {
  return credentialTypes.flatMap((def) => {
    const value = body[def.batchSection.key]
    const list = def.batchSection.kind === 'single' ? (value ? [value] : []) : Array.isArray(value) ? value : []
    return list.map((item) => ({ def, item: item as BatchItem }))
  })
}

/** The rows of a batch: one submission, its credentials and its assets awaiting upload. */
function rowsOf(body: Record<string, unknown>): NewSubmissionRows {
  const now = new Date()
  const submissionId = randomUUID()
  const items: NewItemRow[] = []
  const assets: NewAssetRow[] = []
  for (const [position, { def, item }] of itemsOf(body).entries()) {
    const itemId = randomUUID()
    const fields = item.fields ?? null
    items.push({
      id: itemId,
      submissionId,
      position,
      partnerItemId: item.credential_id,
      credentialType: def.name,
      fields,
      partnerChain: null,
      displayTitle: def.displayTitle(fields as never),
    })
    for (const asset of item.assets ?? []) {
      assets.push({
        id: randomUUID(),
        submissionId,
        itemId,
        partnerAssetId: asset.asset_id,
        assetType: asset.asset_type as NewAssetRow['assetType'],
        source: 'upload',
        state: 'awaiting_upload',
      })
    }
  }
  return {
    submission: {
      id: submissionId,
      partnerId,
      clientId: 'ajv-rows',
      partnerRef: String(body.credential_id),
      envelope: 'v2-batch',
      redirectPath: 'batch',
      bodyHash: '',
      createdAt: now,
      expiresAt: new Date(now.getTime() + SUBMISSION_TTL_MS),
    },
    items,
    assets,
    idempotencyKey: null,
  }
}

await serveBatchBaseline({
  async store(body) {
    const rows = rowsOf(body)
    return (await insertSubmission(database.db, rows, { grouped: database.kind === 'postgres' }))
      ? rows.submission.id
      : null
  },
  ping: () => database.ping(),
  close: () => database.close(),
})
