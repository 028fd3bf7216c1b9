import {
  claimAssetsToFetch,
  markAssetRejected,
  rescheduleFetch,
  type AssetGuard,
  type FetchClaim,
} from '../modules/assets/index.js'
import { DocumentRejectedError } from '../modules/assets/index.js'
import { fetchDocument, type DocumentFetchOptions, type FetchResult } from '../modules/assets/index.js'
import { ingestDocument, type IngestDeps, type IngestResult } from '../modules/assets/index.js'
import type { JobLog } from './runner.js'

/** What the fetch job needs from the application's dependencies. */
export interface FetchJobDeps extends IngestDeps {
  config: { uploadMaxBytes: number }
}

export interface FetchDocumentsOptions extends DocumentFetchOptions {
  /** Most assets claimed in one pass. */
  limit: number
  /** Attempts before a URL that keeps failing on the network is `rejected` as `fetch_failed` (default 4). */
  maxAttempts?: number
  /** Wait before attempt n+1 is `retryDelaysMs[n-1]` (the last value repeats). Default 30 s, 2 min, 10 min. */
  retryDelaysMs?: readonly number[]
  /** How long a claim keeps other instances off an asset (default: 2 min, more than one fetch can take). */
  leaseMs?: number
  /** URLs are never logged: they may carry access tokens. */
  log?: Pick<JobLog, 'info' | 'warn'>
}

const DEFAULT_RETRY_DELAYS_MS = [30_000, 120_000, 600_000] as const

type Outcome = 'stored' | 'rejected' | 'retry' | 'skipped'

/**
 * One pass of the document fetcher (spec §6): claims assets awaiting a fetch whose time has come,
 * fetches each URL outside any transaction, and stores the document (same sniffing and OpenCerts
 * verification as uploads) or records why not: `scheme_not_allowed`, `host_not_allowed`,
 * `private_address`, `redirect_not_allowed`, `too_large`, `type_mismatch`, and `fetch_failed`
 * after the retries. Returns the number of assets it handled.
 */
export async function perform(deps: FetchJobDeps, options: FetchDocumentsOptions): Promise<number> {
  const leaseMs = options.leaseMs ?? 120_000
  const claims = await claimAssetsToFetch(deps.db, deps.clock.now(), options.limit, leaseMs)
  for (const claim of claims) {
    const outcome = await fetchOne(deps, claim, options)
    options.log?.info(
      { asset_id: claim.id, attempt: claim.fetchAttempts, outcome: outcome.outcome, reason: outcome.reason },
      'document fetch',
    )
  }
  return claims.length
}

async function fetchOne(
  deps: FetchJobDeps,
  claim: FetchClaim,
  options: FetchDocumentsOptions,
): Promise<{ outcome: Outcome; reason?: string }> {
  const guard: AssetGuard = { states: ['awaiting_fetch'], source: 'url', fetchAttempts: claim.fetchAttempts }
  const reject = async (reason: string): Promise<{ outcome: Outcome; reason: string }> => {
    const row = await deps.db.transaction((tx) => markAssetRejected(tx, claim.id, guard, reason, deps.clock.now()))
    return { outcome: row ? 'rejected' : 'skipped', reason }
  }
  const maxBytes = deps.config.uploadMaxBytes
  let result: FetchResult<IngestResult>
  try {
    result = await fetchDocument(claim.sourceUrl ?? '', claim.documentHosts, maxBytes, options, (body) =>
      // An OpenCerts document waits for a busy verifier: this job takes one document at a time, and
      // refusing it would only fetch it again.
      ingestDocument(deps, claim, body, { maxBytes, guard, verifyEvenWhenBusy: true }),
    )
  } catch (error) {
    if (error instanceof DocumentRejectedError) return reject(error.problem)
    // Not the document's fault (blob store, database): retried like a network failure.
    options.log?.warn({ asset_id: claim.id, err: error }, 'document fetch failed unexpectedly')
    result = { kind: 'failed' as const, detail: 'internal error' }
  }
  if (result.kind === 'done') return { outcome: result.value.stored ? 'stored' : 'skipped' }
  if (result.kind === 'refused') return reject(result.reason)

  const maxAttempts = options.maxAttempts ?? 4
  if (claim.fetchAttempts >= maxAttempts) return reject('fetch_failed')
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  const delay = delays[Math.min(claim.fetchAttempts - 1, delays.length - 1)] ?? 60_000
  const rescheduled = await rescheduleFetch(deps.db, claim, new Date(deps.clock.now().getTime() + delay))
  return { outcome: rescheduled ? 'retry' : 'skipped', reason: result.detail }
}
