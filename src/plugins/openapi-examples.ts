import fs from 'node:fs'
import { ERROR_CATALOGUE, type ErrorCode } from '../errors.js'
import { credentialTypes } from '../modules/credential-types/index.js'
import type { WebhookEventType } from '../db/schema.js'
import { ALL_SCOPES } from '../modules/oauth/index.js'
import { MAX_ENDPOINTS_PER_PARTNER } from '../modules/webhooks/index.js'

/**
 * Examples of the OpenAPI document, taken from the public sample of the v2 batch page
 * (`examples/v2-batch.json`, the sample the README's walkthrough sends, byte for byte the one in
 * test/fixtures/samples): the batch itself, and for each credential type its first item, as a v2
 * single add and in the v1 envelope. Answers show what Credport sends for them. A test sends every
 * request example and checks it is accepted, and checks every example against its schema.
 */

type Json = Record<string, unknown>

/** One item of the v2 batch sample. */
interface SampleItem {
  credential_id: string
  fields: Json
  assets?: Array<{ asset_id: string; asset_type: string }>
}

/** The v2 batch sample: its id and a section per credential type. */
type BatchSample = { credential_id: string } & Record<string, SampleItem | SampleItem[] | string | undefined>

const BATCH_SAMPLE = JSON.parse(
  fs.readFileSync(new URL('../../examples/v2-batch.json', import.meta.url), 'utf8'),
) as BatchSample

const SAMPLE_ID = BATCH_SAMPLE.credential_id
const REQUEST_ID = '0b9f5a8e-3c71-4e2b-9d6a-5f4c2e1b7a90'
const CLIENT_ID = 'cpc_3q9Xk2vLr8TnW4pZ'
const CREATED_AT = '2026-01-01T09:30:00.000Z'

/** The sample's first item of a type (its section holds an array or a single item). */
function sectionItems(type: (typeof credentialTypes)[number]): SampleItem[] {
  const section = BATCH_SAMPLE[type.batchSection.key]
  if (section === undefined || typeof section === 'string') return []
  return Array.isArray(section) ? section : [section]
}

function sampleItem(type: (typeof credentialTypes)[number]): SampleItem {
  const item = sectionItems(type)[0]
  if (!item) throw new Error(`the v2 batch sample has no ${type.name} item`)
  return structuredClone(item)
}

/**
 * v1 single adds carry the digital identity's assurance fields (spec §4.4), which the batch sample
 * leaves out: the example adds the documented values of an identity checked against a government
 * database with an automated liveness check.
 */
const V1_EXTRA_FIELDS: Record<string, Json> = {
  digital_identity: {
    identity_document_validity: 'government_database',
    identity_document_liveness: 'automated',
    identity_document_person_match: 'automated',
  },
}

interface V1Single {
  id: string
  credential_type: string
  document_type: string | undefined
  data: { credential: Json; document?: null }
}

function v1Single(type: (typeof credentialTypes)[number]): V1Single {
  const item = sampleItem(type)
  const documentType = type.v1DocumentTypes?.includes('none') ? 'none' : type.v1DocumentTypes?.[0]
  return {
    id: item.credential_id,
    credential_type: type.name,
    document_type: documentType,
    data: {
      credential: { ...item.fields, ...V1_EXTRA_FIELDS[type.name] },
      ...(documentType === 'none' ? {} : { document: null }),
    },
  }
}

function uploadLink(assetId: string, index: number): Json {
  const id = `7c2e4f1a-0d5b-4c8e-9a37-${String(index).padStart(12, '0')}`
  return {
    asset_id: assetId,
    url: `https://credport.example.org/api/partner/v2/uploads/${id}?type=pdf&max=20971520&expires=1767263400&sig=Qm9vayBvZiBleGFtcGxlcyBub3QgYSByZWFsIHNpZw`,
    content_type: 'application/pdf',
    max_bytes: 20971520,
    expires_at: '2026-01-01T10:30:00.000Z',
  }
}

const redirect = (path: string, documentType?: string) =>
  `https://credport.example.org/partner/add/${path}#clientId=${CLIENT_ID}${documentType ? `&documentType=${documentType}` : ''}&content=${REQUEST_ID}`

const v2Answer = (path: string, item: SampleItem) => ({
  redirect_uri: redirect(path),
  asset_uploads: (item.assets ?? []).map((a, i) => uploadLink(a.asset_id, i + 1)),
})

const batchAssets = () => credentialTypes.flatMap((type) => sectionItems(type).flatMap((item) => item.assets ?? []))

const STATUS_EXAMPLE = {
  id: SAMPLE_ID,
  status: 'incomplete',
  finalized_at: null,
  request_id: REQUEST_ID,
  created_at: CREATED_AT,
  expires_at: '2026-01-03T09:30:00.000Z',
  opened_at: '2026-01-01T09:42:10.000Z',
  items: [
    {
      id: `${SAMPLE_ID}-edu-1`,
      credential_type: 'education',
      status: 'incomplete',
      assets: [
        {
          asset_id: `${SAMPLE_ID}-edu-1-asset`,
          asset_type: 'pdf',
          state: 'received',
          reason: null,
          bytes: 48213,
          sha256: '5f2b7c0e9d4a1f3b6c8e2d7a0b9f4e1c3a5d7b9e2f4c6a8d0e1b3c5d7f9a2b4c',
          received_at: '2026-01-01T09:31:02.000Z',
        },
      ],
    },
    { id: `${SAMPLE_ID}-rtw-1`, credential_type: 'right_to_work', status: 'incomplete', assets: [] },
  ],
}

/** Webhook endpoints: one partner's production endpoint, taking the submission outcomes. */
const WEBHOOKS = '/api/partner/v2/webhooks'
const ENDPOINT_ID = '8e3b1f6a-5c2d-4a7e-b9f0-3d4c5e6f7a81'
const ENDPOINT = {
  id: ENDPOINT_ID,
  url: 'https://hooks.example.com/credport',
  name: 'Production',
  description: 'Updates the candidate record when a holder decides',
  event_types: ['submission.verified', 'submission.canceled', 'submission.expired'],
  enabled: true,
  disabled_reason: null,
  created_at: '2026-01-01T09:00:00.000Z',
  updated_at: '2026-01-01T09:00:00.000Z',
}
const ENDPOINT_CREATE = {
  url: ENDPOINT.url,
  name: ENDPOINT.name,
  description: ENDPOINT.description,
  event_types: ENDPOINT.event_types,
}
/** A secret as created (`whsec_` + base64 of 32 bytes); an example, signing nothing real. */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw7Iq5e+9vOEM='

/** An event of each type, about the sample's submission and its first document. */
const EVENT_EXAMPLES: Record<
  WebhookEventType,
  { id: string; at: string; status: string; asset?: boolean; credential?: boolean }
> = {
  'asset.received': {
    id: '1d7e4b2a-9c3f-4e58-a061-7b8c9d0e1f21',
    at: '2026-01-01T09:31:02.000Z',
    status: 'received',
    asset: true,
  },
  'asset.rejected': {
    id: '2e8f5c3b-0d4a-4f69-b172-8c9d0e1f2a32',
    at: '2026-01-01T09:31:40.000Z',
    status: 'rejected',
    asset: true,
  },
  'submission.opened': {
    id: '3f6c2a9e-8b14-4d7a-9c05-1e2f3a4b5c6d',
    at: '2026-01-01T09:42:10.000Z',
    status: 'incomplete',
  },
  'submission.verified': {
    id: '4a9d6e1c-2f35-4b8e-8d17-2f3a4b5c6d7e',
    at: '2026-01-01T09:48:55.000Z',
    status: 'verified',
  },
  'submission.canceled': {
    id: '5b0e7f2d-3a46-4c9f-9e28-3a4b5c6d7e8f',
    at: '2026-01-01T09:48:55.000Z',
    status: 'canceled',
  },
  'submission.expired': {
    id: '6c1f8a3e-4b57-4d0a-8f39-4b5c6d7e8f90',
    at: '2026-01-03T09:30:00.000Z',
    status: 'canceled',
  },
  'submission.withdrawn': {
    id: '7d2a9b4f-5c68-4e1b-9a4a-5c6d7e8f9a01',
    at: '2026-01-01T10:05:00.000Z',
    status: 'canceled',
  },
  'credential.revoked': {
    id: '8e3b0c5a-6d79-4f2c-8b5b-6d7e8f9a0b12',
    at: '2026-03-02T14:00:00.000Z',
    status: 'revoked',
    credential: true,
  },
}

/** The example body of a webhook event of `type`. */
export function eventExample(type: WebhookEventType): Json {
  const e = EVENT_EXAMPLES[type]
  return {
    event_id: e.id,
    type,
    created_at: e.at,
    data: {
      id: SAMPLE_ID,
      request_id: REQUEST_ID,
      status: e.status,
      ...(e.asset ? { asset_id: `${SAMPLE_ID}-edu-1-asset` } : {}),
      ...(e.credential ? { credential_id: `${SAMPLE_ID}-edu-1` } : {}),
    },
  }
}

const deliveryExample = (type: WebhookEventType, delivery: Json): Json => ({
  event_id: EVENT_EXAMPLES[type].id,
  event_type: type,
  created_at: EVENT_EXAMPLES[type].at,
  ...delivery,
})

/** A delivery that succeeded on its second attempt, after a 503 with Retry-After. */
const DELIVERED = deliveryExample('submission.verified', {
  id: '9f4a2b6c-7d8e-4f01-a2b3-c4d5e6f7a8b9',
  status: 'delivered',
  attempts: 2,
  last_status_code: 200,
  last_error: null,
  last_duration_ms: 184,
  last_attempt_at: '2026-01-01T09:49:55.000Z',
  next_attempt_at: null,
  attempt_log: [
    {
      attempt: 2,
      attempted_at: '2026-01-01T09:49:55.000Z',
      status_code: 200,
      duration_ms: 184,
      error: null,
      next_attempt_at: null,
    },
    {
      attempt: 1,
      attempted_at: '2026-01-01T09:48:55.000Z',
      status_code: 503,
      duration_ms: 92,
      error: null,
      next_attempt_at: '2026-01-01T09:49:55.000Z',
    },
  ],
})

/** A delivery whose receiver timed out once: pending, its next attempt 5 s later. */
const PENDING = deliveryExample('submission.expired', {
  id: 'a0b5c3d7-8e9f-4a12-b3c4-d5e6f7a8b9c0',
  status: 'pending',
  attempts: 1,
  last_status_code: null,
  last_error: 'timeout',
  last_duration_ms: 10000,
  last_attempt_at: '2026-01-03T09:30:01.000Z',
  next_attempt_at: '2026-01-03T09:30:16.000Z',
  attempt_log: [
    {
      attempt: 1,
      attempted_at: '2026-01-03T09:30:01.000Z',
      status_code: null,
      duration_ms: 10000,
      error: 'timeout',
      next_attempt_at: '2026-01-03T09:30:16.000Z',
    },
  ],
})

/** The webhook management operations' examples. */
function webhookExamples(): Record<string, OperationExamples> {
  const rotated = { ...ENDPOINT, updated_at: '2026-02-01T08:15:00.000Z' }
  return {
    [`post ${WEBHOOKS}`]: { request: ENDPOINT_CREATE, responses: { 201: { ...ENDPOINT, secret: SECRET } } },
    [`get ${WEBHOOKS}`]: { responses: { 200: [ENDPOINT] } },
    [`get ${WEBHOOKS}/{id}`]: { responses: { 200: ENDPOINT } },
    [`put ${WEBHOOKS}/{id}`]: {
      request: { event_types: null, enabled: true },
      responses: { 200: { ...ENDPOINT, event_types: null, updated_at: '2026-01-15T14:20:00.000Z' } },
    },
    [`put ${WEBHOOKS}/{id}/secret`]: {
      responses: { 200: { ...rotated, secret: 'whsec_q3Vb0nX8Zt2Lw5Hy7Jm4Rp6Ds9Fk1Gc3Ne5Ua8Ti0Yo=' } },
    },
    [`get ${WEBHOOKS}/{id}/deliveries`]: {
      responses: { 200: { deliveries: [PENDING, DELIVERED], next_offset: null } },
    },
    [`post ${WEBHOOKS}/{id}/deliveries/{deliveryId}/retry`]: {
      responses: {
        202: {
          ...DELIVERED,
          status: 'pending',
          next_attempt_at: '2026-01-02T08:00:00.000Z',
        },
      },
    },
  }
}

/** The issuer's corrections: the sample batch withdrawn before a decision, its degree revoked after acceptance. */
function correctionExamples(): Record<string, OperationExamples> {
  const withdrawnAt = '2026-01-01T10:05:00.000Z'
  const withdrawn = {
    ...STATUS_EXAMPLE,
    status: 'canceled',
    finalized_at: withdrawnAt,
    items: STATUS_EXAMPLE.items.map((item) => ({
      ...item,
      status: 'canceled',
      assets: item.assets.map((asset) => ({ ...asset })),
    })),
  }
  return {
    'delete /api/partner/v2/add/requests/{id}': { responses: { 200: withdrawn } },
    'post /api/partner/v2/credentials/{credential_id}/revoke': {
      request: { reason: 'The degree was rescinded by the academic board on 28 February 2026.' },
      responses: {
        200: {
          credential_id: `${SAMPLE_ID}-edu-1`,
          request_id: REQUEST_ID,
          status: 'revoked',
          revoked_at: '2026-03-02T14:00:00.000Z',
          reason: 'The degree was rescinded by the academic board on 28 February 2026.',
        },
      },
    },
  }
}

/** Request and success examples by operation (`METHOD path` as the document names it) and status. */
export interface OperationExamples {
  request?: unknown
  responses: Record<string, unknown>
}

export function operationExamples(): Record<string, OperationExamples> {
  const examples: Record<string, OperationExamples> = {}
  for (const type of credentialTypes) {
    const item = sampleItem(type)
    examples[`post /api/partner/v2/add/requests/${type.name}.json`] = {
      request: item,
      responses: { 201: v2Answer(type.redirectPath, item) },
    }
    if (type.v1DocumentTypes) {
      const body = v1Single(type)
      examples[`post /api/partner/v1/add/${type.name}.json`] = {
        request: body,
        responses: { 201: { redirect_uri: redirect(type.redirectPath, body.document_type) } },
      }
    }
  }
  examples['post /api/partner/v2/add/requests/batch.json'] = {
    request: BATCH_SAMPLE,
    responses: {
      201: {
        redirect_uri: redirect('batch'),
        asset_uploads: batchAssets().map((a, i) => uploadLink(a.asset_id, i + 1)),
      },
    },
  }
  examples['post /api/partner/v1/add/batch.json'] = {
    request: {
      id: SAMPLE_ID,
      credentials: credentialTypes
        .filter((type) => type.v1DocumentTypes)
        .map((type) => {
          const { id, credential_type, data } = v1Single(type)
          return { id, credential_type, data: { credential: data.credential } }
        }),
    },
    responses: { 201: { redirect_uri: redirect('batch') } },
  }
  examples['get /api/partner/v1/submissions/{id}/status.json'] = { responses: { 200: STATUS_EXAMPLE } }
  examples['post /api/partner/v1/submissions/status.json'] = {
    request: { ids: [SAMPLE_ID, 'f25c6425-eed4-4853-95bc-fb19aacd4e1e'] },
    responses: {
      200: {
        credentials: [
          STATUS_EXAMPLE,
          { id: 'f25c6425-eed4-4853-95bc-fb19aacd4e1e', status: 'not_found', finalized_at: null },
        ],
      },
    },
  }
  examples['post /api/partner/v1/oauth/token.json'] = {
    request: {
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: 'cps_example-secret-shown-once-at-creation',
      scope: 'write.education write.microcredential',
    },
    responses: {
      200: {
        access_token: 'eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJjcGNfM3E5WGsydkxyOFRuVzRwWiJ9.c2lnbmF0dXJlLW9mLWFuLWV4YW1wbGU',
        token_type: 'Bearer',
        expires_in: 7200,
        scope: 'write.education write.microcredential',
        created_at: 1767259800,
      },
    },
  }
  Object.assign(examples, webhookExamples(), correctionExamples())
  examples['get /api/partner/v1/me.json'] = {
    responses: {
      200: {
        partner_id: '5d0c9a3e-2b71-4f8a-b6e4-1c9d7a2f3e58',
        client_id: CLIENT_ID,
        scopes: ['write.education', 'write.microcredential'],
      },
    },
  }
  return examples
}

/** A body problem where an operation at `path` would report it. */
function validationIssue(path: string): { pointer: string; message: string } {
  if (path.endsWith('/v2/add/requests/batch.json')) {
    return {
      pointer: '/education_items/0/fields/conferral_year',
      message: 'is required unless awaiting_graduation is true',
    }
  }
  if (path.endsWith('/v1/add/batch.json'))
    return { pointer: '/credentials/0/data/credential/full_name', message: 'is required' }
  if (path.includes('/v1/add/')) return { pointer: '/data/credential/full_name', message: 'is required' }
  if (path.includes('/v2/add/')) return { pointer: '/fields/full_name', message: 'is required' }
  if (path.endsWith('/submissions/status.json')) return { pointer: '/ids', message: 'must NOT have more than 30 items' }
  if (path.startsWith(WEBHOOKS)) return { pointer: '/url', message: 'must be an https URL' }
  return { pointer: '/name', message: 'is required' }
}

/** What a problem of each type says in the example of an operation at `path`. */
function problemDetails(code: ErrorCode, path: string): Json | undefined {
  const corrections = correctionProblem(code, path)
  if (corrections) return corrections
  const intake = path.includes('/add/')
  const webhooks = path.startsWith(WEBHOOKS)
  switch (code) {
    case 'validation':
      return { detail: '1 problem in the request body', errors: [validationIssue(path)] }
    case 'malformed_json':
      return { detail: 'The body is not valid JSON: check quoting, commas and brackets, and that it is UTF-8' }
    case 'invalid_parameter':
      return intake
        ? {
            detail: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters',
            errors: [
              {
                pointer: '',
                in: 'header',
                parameter: 'Idempotency-Key',
                message: 'must be 1 to 255 visible ASCII characters',
              },
            ],
          }
        : {
            detail: 'Invalid path parameter',
            errors: [
              {
                pointer: `/${/\{(\w+)\}/.exec(path)?.[1] ?? 'id'}`,
                in: 'path',
                message: `must NOT have more than ${webhooks ? 100 : 255} characters`,
              },
            ],
          }
    case 'unauthorized':
      return { detail: 'The access token has expired' }
    case 'insufficient_scope':
      return intake
        ? { detail: 'This request needs the scope write.education', missing_scopes: ['write.education'] }
        : {
            detail: `This request needs one of the scopes ${ALL_SCOPES.join(', ')}`,
            missing_scopes: [...ALL_SCOPES],
          }
    case 'not_found':
      return { detail: webhooks ? 'No webhook endpoint of yours has this id' : `No submission with id "${SAMPLE_ID}"` }
    case 'webhook_limit':
      return {
        detail: `A partner may have at most ${MAX_ENDPOINTS_PER_PARTNER} webhook endpoints; delete one first`,
        limit: MAX_ENDPOINTS_PER_PARTNER,
      }
    case 'conflict':
      return { detail: 'This delivery is still pending: it will be attempted at next_attempt_at' }
    case 'id_conflict':
      return {
        detail: `Id "${SAMPLE_ID}" was already used within the last 48 hours with a different request body`,
      }
    case 'batch_too_large':
      return {
        detail: 'A batch may hold at most 100 credentials; this one has 120',
        limit: 100,
        actual: 120,
        counted: 'credentials',
      }
    case 'body_too_large':
      return { detail: 'The body is larger than the limit of 1048576 bytes', limit: 1048576 }
    case 'unsupported_media_type':
      return { detail: 'Content-Type "text/plain" is not accepted here; send application/json' }
    case 'rate_limited':
      return {
        detail: 'This client reached its limit of 1200 requests a minute; try again in 12 s',
        limit_per_minute: 1200,
      }
    default:
      return undefined
  }
}

/** What the corrections' own problems say (withdraw: DELETE …/add/requests/{id}; revoke). */
function correctionProblem(code: ErrorCode, path: string): Json | undefined {
  const withdraw = path === '/api/partner/v2/add/requests/{id}'
  const revoke = path.startsWith('/api/partner/v2/credentials/')
  if (!withdraw && !revoke) return undefined
  switch (code) {
    case 'not_found':
      return {
        detail: withdraw ? `No submission with id "${SAMPLE_ID}"` : `No credential with id "${SAMPLE_ID}-edu-1"`,
      }
    case 'conflict':
      return {
        detail: withdraw
          ? 'The holder already accepted this submission: it can no longer be withdrawn. Revoke its credentials instead (POST /api/partner/v2/credentials/{credential_id}/revoke)'
          : 'The holder has not accepted this credential yet: withdraw the submission instead (DELETE /api/partner/v2/add/requests/{id})',
      }
    case 'insufficient_scope':
      return { detail: 'This request needs the scope write.right_to_work', missing_scopes: ['write.right_to_work'] }
    case 'validation':
      return { detail: '1 problem in the request body', errors: [{ pointer: '/reason', message: 'is required' }] }
    default:
      return undefined
  }
}

/** An example problem of type `code` answered at `path`. */
export function problemExample(code: ErrorCode, path: string): Json {
  const entry = ERROR_CATALOGUE[code]
  return {
    type: `/problems/${code}`,
    title: entry.title,
    status: entry.status,
    detail: entry.title,
    ...problemDetails(code, path),
    instance: path
      .replace('{id}', path.startsWith(WEBHOOKS) ? ENDPOINT_ID : SAMPLE_ID)
      .replace(/\{(\w+)\}/g, 'example-$1'),
    request_id: 'c5b1d8e2-6f3a-4b9c-8d7e-2a1f0e9b4c63',
  }
}
