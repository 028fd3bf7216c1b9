import type { Deps } from '../deps.js'
import { DELIVERY_RETENTION_MS, purgeDeliveriesBefore } from '../modules/webhooks/index.js'

/** One pass of the delivery log purge: up to `limit` deliveries (and events) older than 30 days. */
export async function perform(deps: Pick<Deps, 'db' | 'clock'>, options: { limit: number }): Promise<number> {
  return purgeDeliveriesBefore(deps.db, new Date(deps.clock.now().getTime() - DELIVERY_RETENTION_MS), options.limit)
}
