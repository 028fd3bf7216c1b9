import type { Deps } from '../deps.js'
import { purgeExpiredIdempotencyKeys } from '../modules/submissions/index.js'

/** One pass of the Idempotency-Key purge: up to `limit` keys past their expiry. */
export async function perform(deps: Pick<Deps, 'db' | 'clock'>, options: { limit: number }): Promise<number> {
  return purgeExpiredIdempotencyKeys(deps.db, deps.clock.now(), options.limit)
}
