// Baseline of the holder-page rows: bare Fastify that renders Credport's own review and wallet pages
// (its Preact views and sendPage, with a fresh CSP nonce per response, as Credport sends them) from
// a model held in a constant: the public batch sample's 10 credentials with their 4 documents
// received, from "Bench University", for one signed-in holder. No session, cookie, database or
// CSRF secret: what is left of the page's cost is the rendering itself, so the ratio says what
// Credport's session, queries and model building add to it.
//
// Rendering a constant model (rather than serving a captured copy of the HTML) is deliberate: a
// copy would measure only sending bytes, and the issue asks for a page "rendered from a constant in
// the same process". The model is built as Credport builds it at intake (v2BatchDraft: canonical
// fields, display titles), so the page has the same cards and about the same size (the benchmark
// logs both sizes).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import { checkBody } from '../../src/lib/validation.js'
import { v2BatchRules, V2BatchSchema } from '../../src/modules/intake-bodies/index.js'
import { v2BatchDraft } from '../../src/modules/submissions/intake-drafts.js'
import type { CredentialView, DocumentView, ReviewModel } from '../../src/modules/holder/views/models.js'
import type { PageContext } from '../../src/modules/holder/views/page-context.js'
import { newNonce, sendPage } from '../../src/modules/holder/views/render.js'
import { todayIn } from '../../src/modules/holder/views/credentials/format.js'
import { ReviewPage } from '../../src/modules/holder/views/review.js'
import type { WalletEntry } from '../../src/modules/holder/views/wallet-model.js'
import { WalletPage } from '../../src/modules/holder/views/wallet.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const PARTNER = 'Bench University'
const ACCEPTED_AT = new Date('2026-01-15T09:30:00Z')
const MEDIA = { pdf: 'tiny.pdf', png: 'pixel.png', jpg: 'pixel.jpg' } as const

function credentials(): CredentialView[] {
  const body: unknown = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'v2-batch.json'), 'utf8'))
  const checked = checkBody(V2BatchSchema, body, v2BatchRules)
  if (!checked.ok) throw new Error(`examples/v2-batch.json is not a valid batch: ${JSON.stringify(checked.issues)}`)
  return v2BatchDraft(checked.value).items.map((item, i) => {
    const issuer = item.def.issuerField ? item.fields[item.def.issuerField] : undefined
    return {
      credentialType: item.def.name,
      displayTitle: item.def.displayTitle(item.fields as never),
      issuerName: typeof issuer === 'string' ? issuer : null,
      fields: item.fields,
      partnerChain: item.partnerChain ?? [],
      documents: item.assets.map((asset, j): DocumentView => {
        const id = `00000000-0000-4000-8000-${String(i * 10 + j).padStart(12, '0')}`
        const file = MEDIA[asset.assetType as keyof typeof MEDIA]
        return {
          assetId: id,
          assetType: asset.assetType,
          state: 'received',
          rejectReason: null,
          verification: null,
          bytes: file ? readFileSync(path.join(ROOT, 'test', 'fixtures', 'documents', file)).length : null,
          viewUrl: `/holder/documents/${id}`,
          downloadUrl: `/holder/documents/${id}?download=1`,
        }
      }),
    }
  })
}

const CREDENTIALS = credentials().map((credential, i) => ({
  ...credential,
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
}))
const EXPIRES_AT = new Date(Date.now() + 48 * 3600 * 1000)
const REVIEW_MODEL: Omit<ReviewModel, 'asOf'> = {
  requestId: '00000000-0000-4000-8000-000000000001',
  partnerName: PARTNER,
  credentials: CREDENTIALS,
  declined: 0,
  expiresAt: EXPIRES_AT,
}
const WALLET: WalletEntry[] = CREDENTIALS.map((credential, i) => ({
  ...credential,
  id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
  partnerName: PARTNER,
  acceptedAt: ACCEPTED_AT,
}))

/** The page context of a signed-in holder in English (what Credport builds per request), with a fresh nonce. */
function pageContext(pagePath: string): PageContext {
  return {
    locale: 'en',
    nonce: newNonce(),
    csrfToken: 'bench-constant-csrf-token-000000000000000000000',
    signedInEmail: 'bench.holder@example.com',
    path: pagePath,
    dateLocale: 'en-GB',
  }
}

const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } })

app.get('/holder/review', async (_request, reply) => {
  const ctx = pageContext('/holder/review')
  return sendPage(reply, ctx.nonce, <ReviewPage ctx={ctx} model={{ ...REVIEW_MODEL, asOf: new Date() }} />)
})
app.get('/holder/wallet', async (_request, reply) => {
  const ctx = pageContext('/holder/wallet')
  return sendPage(reply, ctx.nonce, <WalletPage ctx={ctx} entries={WALLET} query="" today={todayIn(ctx, new Date())} />)
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' })
