import { deliverDue, type DeliverDeps, type DeliverOptions } from '../modules/webhooks/index.js'
import type { JobLog } from './runner.js'

/**
 * One pass of webhook delivery (spec §9): up to `limit` due deliveries claimed (with a lease, so
 * several instances never send one attempt twice), sent after the commit of their events, each
 * attempt recorded. Returns how many attempts it made. URLs and bodies are never logged.
 */
export async function perform(
  deps: DeliverDeps,
  options: Omit<DeliverOptions, 'limit'> & { limit: number; log?: Pick<JobLog, 'info'> },
): Promise<number> {
  const outcomes = await deliverDue(deps, options)
  for (const outcome of outcomes)
    options.log?.info(
      {
        delivery_id: outcome.deliveryId,
        attempt: outcome.attempt,
        outcome: outcome.status,
        status_code: outcome.statusCode,
        error: outcome.error,
      },
      'webhook attempt',
    )
  return outcomes.length
}
