import fs from 'node:fs'
import { ERROR_CATALOGUE, type ErrorCode } from '../errors.js'
import { credentialTypes } from '../modules/credential-types/index.js'
import { ALL_SCOPES } from '../modules/oauth/index.js'

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
  return { pointer: '/name', message: 'is required' }
}

/** What a problem of each type says in the example of an operation at `path`. */
function problemDetails(code: ErrorCode, path: string): Json | undefined {
  const intake = path.includes('/add/')
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
                message: 'must NOT have more than 255 characters',
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
      return { detail: `No submission with id "${SAMPLE_ID}"` }
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

/** An example problem of type `code` answered at `path`. */
export function problemExample(code: ErrorCode, path: string): Json {
  const entry = ERROR_CATALOGUE[code]
  return {
    type: `/problems/${code}`,
    title: entry.title,
    status: entry.status,
    detail: entry.title,
    ...problemDetails(code, path),
    instance: path.replace('{id}', SAMPLE_ID).replace(/\{(\w+)\}/g, 'example-$1'),
    request_id: 'c5b1d8e2-6f3a-4b9c-8d7e-2a1f0e9b4c63',
  }
}
