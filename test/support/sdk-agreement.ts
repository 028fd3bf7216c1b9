import assert from 'node:assert/strict'
import { validate, type ValidateTarget } from '../../src/client/index.js'
import type { HttpResponse } from './app.js'

/**
 * Holds the client SDK's local `validate()` to the server: every JSON body a test sends to an
 * intake endpoint that the server accepts (201) or refuses as invalid (400 /problems/validation)
 * is validated by the SDK too, and must get the same issues (pointers and messages; [] for a 201).
 * `httpRequest` calls it, so every intake and validation test is also an agreement test.
 */

const INTAKE = [
  { path: /^\/api\/partner\/v1\/add\/batch\.json$/, target: () => ({ batch: 1 }) },
  { path: /^\/api\/partner\/v2\/add\/requests\/batch(\.json)?$/, target: () => ({ batch: 2 }) },
  { path: /^\/api\/partner\/v1\/add\/([a-z_]+)\.json$/, target: (type: string) => ({ type, version: 1 }) },
  {
    path: /^\/api\/partner\/v2\/add\/requests\/([a-z_]+?)(\.json)?$/,
    target: (type: string) => ({ type, version: 2 }),
  },
]

function targetOf(pathname: string): ValidateTarget | undefined {
  for (const { path, target } of INTAKE) {
    const match = path.exec(pathname)
    if (match) return target(match[1]!) as ValidateTarget
  }
  return undefined
}

const key = (i: { pointer: string; message: string }) => `${i.pointer}\u0000${i.message}`
const sorted = (issues: Array<{ pointer: string; message: string }>) =>
  issues
    .map(({ pointer, message }) => ({ pointer, message }))
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))

/** Server-side checks of any request, not of a body's contract: the SDK leaves them to the server. */
const SERVER_ONLY = [/NUL character/, /valid Unicode/, /nested too deeply/]

export function checkSdkAgreement(method: string, url: URL, json: unknown, response: HttpResponse): void {
  if (method !== 'POST' || json === undefined) return
  const target = targetOf(url.pathname)
  if (target === undefined) return
  const invalid = response.status === 400 && response.body?.type === '/problems/validation'
  if (response.status !== 201 && !invalid) return
  const server = invalid ? (response.body.errors as Array<{ pointer: string; message: string }>) : []
  if (server.some((issue) => SERVER_ONLY.some((re) => re.test(issue.message)))) return
  let local: Array<{ pointer: string; message: string }>
  try {
    local = validate(json, target)
  } catch (error) {
    // An unknown credential type: the server answers 404 before any body check.
    if (error instanceof TypeError && !invalid) return
    throw error
  }
  assert.deepEqual(
    sorted(local),
    sorted(server),
    `the SDK's validate() disagrees with the server on POST ${url.pathname}: ${JSON.stringify(json).slice(0, 300)}`,
  )
}
