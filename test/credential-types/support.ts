import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import type { ValidationIssue } from '../../src/lib/validation.js'
import { typeboxChecker } from '../../src/client/index.js'
import { ajvChecker } from '../../src/lib/validation.js'
import { validateCredentialFields } from '../../src/modules/credential-types/registry.js'
import type { CredentialTypeDefinition, Envelope } from '../../src/modules/credential-types/types.js'

/** A JSON value as read from a sample file. */
export type Json = Record<string, any>

/** A public sample payload of test/fixtures/samples (its README says where each comes from). */
export function example(file: string): Json {
  return JSON.parse(readFileSync(new URL(`../fixtures/samples/${file}`, import.meta.url), 'utf8')) as Json
}

/** The `fields` of every item of one section of the v2 batch sample. */
export function batchSampleFields(section: string): Json[] {
  const value: unknown = example('v2-batch.json')[section]
  const items = Array.isArray(value) ? value : [value]
  return items.map((item: Json) => item.fields as Json)
}

/** Every issue for `value`, pointers relative to the fields object, in a stable order. */
export function issuesOf(def: CredentialTypeDefinition, value: unknown, envelope: Envelope = 'v2'): ValidationIssue[] {
  const server = sortIssues(validateCredentialFields(def, value, envelope, '', ajvChecker))
  // The client SDK checks the same schema with TypeBox's validator: it must find the same issues.
  const sdk = sortIssues(validateCredentialFields(def, value, envelope, '', typeboxChecker))
  assert.deepEqual(
    sdk,
    server,
    `the SDK's validation disagrees with the server's on ${JSON.stringify(value).slice(0, 300)}`,
  )
  return server
}

/** Issues sorted by pointer, then message, so tests can compare whole lists. */
export function sortIssues(issues: readonly ValidationIssue[]): ValidationIssue[] {
  const key = (i: ValidationIssue) => `${i.pointer}\u0000${i.message}`
  return [...issues].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

/** Asserts that `value` has exactly the `expected` issues, in any order. */
export function expectIssues(
  def: CredentialTypeDefinition,
  value: unknown,
  expected: readonly ValidationIssue[],
  envelope: Envelope = 'v2',
): void {
  assert.deepEqual(issuesOf(def, value, envelope), sortIssues(expected))
}

/** Shorthand for one expected issue. */
export function issue(pointer: string, message: string): ValidationIssue {
  return { pointer, message }
}

/** A copy of `value` without the named properties. */
export function omit(value: Json, ...keys: string[]): Json {
  const copy = { ...value }
  for (const key of keys) delete copy[key]
  return copy
}

/** Common messages, spelled once. */
export const MSG = {
  required: 'is required',
  blank: 'must not be empty or blank',
  unknown: 'is not an allowed property (check the spelling)',
  date: 'must be a real calendar date in the form YYYY-MM-DD',
  month: 'must be a month in the form YYYY-MM',
  string: 'must be a string',
  object: 'must be an object',
} as const
