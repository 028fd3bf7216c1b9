import { AppError, notFound } from '../../errors.js'
import { isUuid } from '../../lib/ids.js'
import { findDelivery, listDeliveries, requeueDelivery, type LoggedDelivery } from './deliveries.repo.js'
import { getEndpoint, type EndpointDeps } from './endpoints.js'

/** Deliveries are kept this long, then purged (a job). */
export const DELIVERY_RETENTION_MS = 30 * 24 * 3600_000

/** A page of the delivery log of one of the partner's endpoints (newest first), and the next page's offset. */
export async function listEndpointDeliveries(
  deps: EndpointDeps,
  partnerId: string,
  endpointId: string,
  page: { limit: number; offset: number },
): Promise<{ deliveries: LoggedDelivery[]; nextOffset: number | null }> {
  const endpoint = await getEndpoint(deps, partnerId, endpointId)
  const rows = await listDeliveries(deps.db, endpoint.id, page.limit + 1, page.offset)
  return {
    deliveries: rows.slice(0, page.limit),
    nextOffset: rows.length > page.limit ? page.offset + page.limit : null,
  }
}

/**
 * retry: one more attempt, now, of a delivered or failed delivery of the partner's endpoint
 * (`conflict` while it is still pending: it will be attempted anyway).
 */
export async function retryDelivery(
  deps: EndpointDeps,
  partnerId: string,
  endpointId: string,
  deliveryId: string,
): Promise<LoggedDelivery> {
  const endpoint = await getEndpoint(deps, partnerId, endpointId)
  if (!isUuid(deliveryId)) throw notFound('This endpoint has no delivery with this id')
  const row = await requeueDelivery(deps.db, endpoint.id, deliveryId, deps.clock.now())
  if (!row) {
    if (await findDelivery(deps.db, endpoint.id, deliveryId))
      throw new AppError('conflict', 'This delivery is still pending: it will be attempted at next_attempt_at')
    throw notFound('This endpoint has no delivery with this id')
  }
  return (await findDelivery(deps.db, endpoint.id, row.id))!
}
