import type { Deps } from '../deps.js'
import { purgeExpiredSessions } from '../modules/holder/index.js'

/** One pass of the session purge: up to `limit` holder sessions that ended over an hour ago, with their sign-in codes. */
export async function perform(deps: Pick<Deps, 'db' | 'clock'>, options: { limit: number }): Promise<number> {
  return purgeExpiredSessions(deps, { limit: options.limit })
}
