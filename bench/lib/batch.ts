// The public v2 batch sample (test/fixtures/samples/v2-batch.json) as a
// request with fresh ids: every id in the sample (the batch's, each item's, each asset's) starts
// with one uuid, so replacing that prefix with a new uuid makes all of them unique at once.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Request as AutocannonRequest } from 'autocannon'
import type { Load } from './measure.js'
import { ROOT } from './processes.js'

export const BATCH_SAMPLE = path.resolve(ROOT, 'test', 'fixtures', 'samples', 'v2-batch.json')
export const BATCH_PATH = '/api/partner/v2/add/requests/batch.json'
/** The uuid every id of the sample starts with. */
const SAMPLE_ID_PREFIX = '3601f8ae-9181-41a3-89ed-6dbe5ecde2b5'

let parts: string[] | undefined

/** The sample, compact, split around its id prefix (read once). */
function sampleParts(): string[] {
  if (!parts) {
    const text = JSON.stringify(JSON.parse(readFileSync(BATCH_SAMPLE, 'utf8')))
    parts = text.split(SAMPLE_ID_PREFIX)
    if (parts.length < 2) throw new Error(`${BATCH_SAMPLE} no longer contains the id prefix ${SAMPLE_ID_PREFIX}`)
  }
  return parts
}

/** The sample's JSON text with a fresh uuid in place of its id prefix (cheap: one join). */
export function freshBatchBody(): string {
  return sampleParts().join(randomUUID())
}

/**
 * POST of the batch sample with fresh ids on every request (autocannon setupRequest); `body` is one
 * fresh instance for the pre-flight request. `headers` add to the JSON content type (e.g. a token).
 */
export function batchLoad(headers: Record<string, string> = {}): Load {
  const allHeaders = { 'content-type': 'application/json', ...headers }
  const request: AutocannonRequest = {
    method: 'POST',
    path: BATCH_PATH,
    headers: allHeaders,
    setupRequest: (req) => ({ ...req, body: freshBatchBody() }),
  }
  return { method: 'POST', path: BATCH_PATH, headers: allHeaders, body: freshBatchBody(), requests: [request] }
}
