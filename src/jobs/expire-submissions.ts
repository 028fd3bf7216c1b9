import { expireSubmissions, type LifecycleDeps } from '../modules/submissions/index.js'
import type { JobLog } from './runner.js'

/**
 * One pass of submission expiry (spec §10): up to `limit` submissions past their expiry become
 * `canceled` and lose their data and documents. Returns how many it expired.
 */
export async function perform(deps: LifecycleDeps, options: { limit: number; log?: JobLog }): Promise<number> {
  const expired = await expireSubmissions(deps, { limit: options.limit })
  if (expired > 0) options.log?.info({ expired }, 'submissions expired')
  return expired
}
