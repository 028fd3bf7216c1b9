import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { and, count, eq } from 'drizzle-orm'
import { submissions } from '../../src/db/schema.js'
import type { HttpResponse, TestApp } from './app.js'

/**
 * Shared material for the HTTP tests of the intake and status endpoints (spec §2–§8, §10). The
 * tables below are written from the spec, not imported from src/, so that the tests check the
 * implementation against the contract rather than against itself.
 */

/** The public sample payloads, copied into the repository (test/fixtures/samples/README.md says where each comes from). */
export const EXAMPLES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/samples')

/** A fresh deep copy of a public sample of test/fixtures/samples. */
export function example<T = any>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as T
}

/** `value` with every occurrence of `oldId` in its strings replaced by `newId` (ids derived from one id move along). */
export function replaceId<T>(value: T, oldId: string, newId: string): T {
  return JSON.parse(JSON.stringify(value).split(oldId).join(newId)) as T
}

/** The id every item and asset id of the v2 batch sample starts with. */
export const BATCH_SAMPLE_ID = '3601f8ae-9181-41a3-89ed-6dbe5ecde2b5'

/** The v2 batch sample with a new id for the batch and (derived) for every item and asset; returns the new id too. */
export function freshBatch(): { id: string; body: any } {
  const id = randomUUID()
  return { id, body: replaceId(example('v2-batch.json'), BATCH_SAMPLE_ID, id) }
}

export const STATUS_BULK = '/api/partner/v1/submissions/status.json'
export const statusPath = (id: string) => `/api/partner/v1/submissions/${encodeURIComponent(id)}/status.json`
export const V1_BATCH = '/api/partner/v1/add/batch.json'
export const V2_BATCH = '/api/partner/v2/add/requests/batch.json'
export const v1Path = (type: string) => `/api/partner/v1/add/${type}.json`
export const v2Path = (type: string, json = true) => `/api/partner/v2/add/requests/${type}${json ? '.json' : ''}`

export interface TypeInfo {
  name: string
  scope: string
  redirectPath: string
  /** v1 `document_type` of a document-less add; null: not on v1. */
  v1NoDocument: string | null
  batchKey: string
  batchKind: 'array' | 'single'
  /** Valid fields of a single add (v1 and v2). */
  fields: () => Record<string, unknown>
}

/** Spec §4 and §10, one entry per credential type. */
export const TYPES: readonly TypeInfo[] = [
  {
    name: 'education',
    scope: 'write.education',
    redirectPath: 'education',
    v1NoDocument: 'none',
    batchKey: 'education_items',
    batchKind: 'array',
    fields: () => ({ full_name: 'Jo Citizen', education_provider: 'Uni', course_name: 'BSc', conferral_year: '2024' }),
  },
  {
    name: 'english_proficiency',
    scope: 'write.english_proficiency',
    redirectPath: 'englishProficiency',
    v1NoDocument: 'english_assessment',
    batchKey: 'english_proficiency_items',
    batchKind: 'array',
    fields: () => ({
      full_name: 'Jo Citizen',
      test_provider: 'Tests Inc',
      test_name: 'English',
      completion_date: '2024-01-01',
      test_scores: { cefr_scores: { writing: 'B2' }, overall: { score: '100', scale: 'EnglishScore' } },
    }),
  },
  {
    name: 'microcredential',
    scope: 'write.microcredential',
    redirectPath: 'microcredential',
    v1NoDocument: 'none',
    batchKey: 'microcredential_items',
    batchKind: 'array',
    fields: () => ({
      full_name: 'Jo Citizen',
      issuer_name: 'Skills Co',
      microcredential_name: 'AI Essentials',
      issue_date: '2024-04-30',
    }),
  },
  {
    name: 'digital_identity',
    scope: 'write.digital_identity',
    redirectPath: 'digitalIdentity',
    v1NoDocument: 'none',
    batchKey: 'digital_identity',
    batchKind: 'single',
    fields: () => ({
      full_name: 'Jo Citizen',
      identity_document_validity: 'manual',
      identity_document_liveness: 'automated',
      identity_document_person_match: 'manual',
    }),
  },
  {
    name: 'right_to_work',
    scope: 'write.right_to_work',
    redirectPath: 'rightToWork',
    v1NoDocument: 'none',
    batchKey: 'right_to_work_items',
    batchKind: 'array',
    fields: () => ({ full_name: 'Jo Citizen', country: 'SG', singapore_work_rights: 'citizen' }),
  },
  {
    name: 'career_history',
    scope: 'write.career_history',
    redirectPath: 'careerHistory',
    v1NoDocument: 'none',
    batchKey: 'career_history',
    batchKind: 'single',
    fields: () => ({
      full_name: 'Jo Citizen',
      employment: [
        { organisation: 'Company A', role_title: 'Engineer', start_date: '2024-01', last_processed_month: '2024-07' },
      ],
    }),
  },
  {
    name: 'universal_credential',
    scope: 'write.universal',
    redirectPath: 'universalCredential',
    v1NoDocument: null,
    batchKey: 'universal_credential_items',
    batchKind: 'array',
    fields: () => ({
      full_name: 'Jo Citizen',
      credential_name: 'Forklift licence',
      credential_category: 'Licence',
      issuer_name: 'Licensing Office',
    }),
  },
]

export const V1_TYPES = TYPES.filter((t) => t.v1NoDocument !== null)
export const WRITE_SCOPES = TYPES.map((t) => t.scope)

export function typeInfo(name: string): TypeInfo {
  const info = TYPES.find((t) => t.name === name)
  if (!info) throw new Error(`no type ${name}`)
  return info
}

/** A valid v1 single add of `type` without a document. */
export function v1Body(
  type: string,
  id: string = randomUUID(),
  credential: Record<string, unknown> = typeInfo(type).fields(),
) {
  return { id, credential_type: type, document_type: typeInfo(type).v1NoDocument!, data: { credential } }
}

/** A valid v2 single add of `type` without assets. */
export function v2Body(
  type: string,
  id: string = randomUUID(),
  fields: Record<string, unknown> = typeInfo(type).fields(),
) {
  return { credential_id: id, fields }
}

/** A valid v2 batch holding one item of each of `types`. */
export function v2BatchOf(types: string[], id: string = randomUUID()) {
  const body: Record<string, unknown> = { credential_id: id }
  for (const [index, name] of types.entries()) {
    const info = typeInfo(name)
    const item = { credential_id: `${id}-${index}`, fields: info.fields() }
    body[info.batchKey] = info.batchKind === 'single' ? item : [item]
  }
  return body
}

/** A valid v1 batch holding one credential of each of `types`. */
export function v1BatchOf(types: string[], id: string = randomUUID()) {
  return {
    id,
    credentials: types.map((type, index) => ({
      id: `${id}-${index}`,
      credential_type: type,
      data: { credential: typeInfo(type).fields() },
    })),
  }
}

export interface Redirect {
  base: string
  path: string
  params: Record<string, string>
  /** The parameter names in the order they appear after `#`. */
  order: string[]
}

/** Splits `http://credport.test/partner/add/{path}#clientId=…&content=…` into its parts. */
export function parseRedirect(uri: string): Redirect {
  const match = /^(http:\/\/credport\.test)\/partner\/add\/([A-Za-z]+)#(.*)$/.exec(uri)
  assert.ok(match, `not a holder link: ${uri}`)
  const fragment = new URLSearchParams(match[3])
  return { base: match[1]!, path: match[2]!, params: Object.fromEntries(fragment), order: [...fragment.keys()] }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Asserts the exact holder link of spec §10 and returns its request id (`content`). */
export function assertRedirect(
  uri: string,
  expected: { path: string; clientId: string; documentType?: string },
): string {
  const redirect = parseRedirect(uri)
  assert.equal(redirect.path, expected.path, uri)
  assert.equal(redirect.params.clientId, expected.clientId, uri)
  assert.match(redirect.params.content ?? '', UUID, uri)
  const content = redirect.params.content!
  // The documented order (spec §10): clientId, then documentType (v1 single adds only), then content.
  const documentType = expected.documentType === undefined ? '' : `&documentType=${expected.documentType}`
  assert.equal(
    uri,
    `http://credport.test/partner/add/${expected.path}#clientId=${expected.clientId}${documentType}&content=${content}`,
  )
  return content
}

/** The request id (`content`) of a holder link. */
export const requestIdOf = (uri: string) => parseRedirect(uri).params.content!

/** Rows in `submissions` (all partners, or one partner). */
export async function countSubmissions(t: TestApp, partnerId?: string, partnerRef?: string): Promise<number> {
  const conditions = [
    ...(partnerId ? [eq(submissions.partnerId, partnerId)] : []),
    ...(partnerRef ? [eq(submissions.partnerRef, partnerRef)] : []),
  ]
  const [row] = await t.deps.db
    .select({ n: count() })
    .from(submissions)
    .where(conditions.length ? and(...conditions) : undefined)
  return Number(row!.n)
}

export interface Issue {
  pointer: string
  message: string
}

const byPointerThenMessage = (a: Issue, b: Issue) =>
  `${a.pointer}\u0000${a.message}` < `${b.pointer}\u0000${b.message}` ? -1 : 1

/**
 * Asserts a 400 /problems/validation whose `errors` are exactly `expected` (pointer and message;
 * the order of the list is not part of the contract), with a `detail` that counts them.
 */
export function assertValidation(response: HttpResponse, expected: Issue[]): void {
  assert.equal(response.status, 400, `expected 400, got ${response.status}: ${response.text}`)
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
  assert.equal(response.body.type, '/problems/validation', response.text)
  assert.ok(Array.isArray(response.body.errors), response.text)
  const actual = (response.body.errors as Issue[]).map(({ pointer, message }) => ({ pointer, message }))
  assert.deepEqual([...actual].sort(byPointerThenMessage), [...expected].sort(byPointerThenMessage), response.text)
  const n = expected.length
  assert.equal(response.body.detail, `${n} problem${n === 1 ? '' : 's'} in the request body`)
}

/** Asserts any 4xx RFC 9457 problem (spec §7): problem+json, type under /problems/, status member = HTTP status, request id. */
export function assertClientProblem(response: HttpResponse, context = ''): void {
  assert.ok(
    response.status >= 400 && response.status < 500,
    `expected a 4xx, got ${response.status} ${context}: ${response.text.slice(0, 500)}`,
  )
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, context)
  assert.equal(typeof response.body, 'object', context)
  assert.match(String(response.body.type), /^\/problems\/[a-z_]+$/, context)
  assert.equal(response.body.status, response.status, context)
  assert.equal(typeof response.body.title, 'string', context)
  assert.equal(typeof response.body.detail, 'string', context)
  assert.equal(response.body.request_id, response.headers.get('x-request-id'), context)
}

/** Sends raw text as an application/json body. */
export function postRaw(
  t: TestApp,
  url: string,
  text: string | Buffer,
  token: string,
  headers: Record<string, string> = {},
) {
  return t.request('POST', url, { body: text, token, headers: { 'content-type': 'application/json', ...headers } })
}

/** A small deterministic PRNG (mulberry32), so generated tests are reproducible from their seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}
