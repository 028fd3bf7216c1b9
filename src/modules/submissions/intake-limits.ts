import { AppError } from '../../errors.js'
import { getCredentialType, isRecord } from '../credential-types/index.js'
import { v2Sections } from '../intake-bodies/index.js'

/** What a batch may hold (configuration), checked before its body is validated. */
export interface IntakeLimits {
  maxBatchItems: number
  maxBatchAssets: number
}

/** The scopes a legacy v1 batch needs: one per credential type it names. */
export function scopesForV1Batch(body: unknown): string[] {
  const credentials = isRecord(body) && Array.isArray(body.credentials) ? body.credentials : []
  const types = credentials.map((c) => (isRecord(c) ? getCredentialType(String(c.credential_type)) : undefined))
  return [...new Set(types.flatMap((t) => (t?.v1DocumentTypes ? [t.scope] : [])))]
}

/** The scopes a v2 batch needs: one per non-empty section. */
export function scopesForV2Batch(body: unknown): string[] {
  return [...new Set(v2Sections(body).map((s) => s.def.scope))]
}

/** 413 when a v1 batch holds more credentials than allowed (checked before anything else is read). */
export function checkV1BatchSize(body: unknown, limits: IntakeLimits): void {
  const count = isRecord(body) && Array.isArray(body.credentials) ? body.credentials.length : 0
  if (count > limits.maxBatchItems) throw batchLimit('credentials', limits.maxBatchItems, count)
}

/** 413 when a v2 batch holds more credentials or documents than allowed (checked before anything else is read). */
export function checkV2BatchSize(body: unknown, limits: IntakeLimits): void {
  const items = v2Sections(body).flatMap((s) => s.items)
  if (items.length > limits.maxBatchItems) throw batchLimit('credentials', limits.maxBatchItems, items.length)
  const assets = items.reduce<number>(
    (n, item) => n + (isRecord(item) && Array.isArray(item.assets) ? item.assets.length : 0),
    0,
  )
  if (assets > limits.maxBatchAssets) throw batchLimit('assets', limits.maxBatchAssets, assets)
}

function batchLimit(what: 'credentials' | 'assets', limit: number, actual: number): AppError {
  return new AppError('batch_too_large', `A batch may hold at most ${limit} ${what}; this one has ${actual}`, {
    limit,
    actual,
    counted: what,
  })
}
