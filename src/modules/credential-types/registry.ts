import type { SchemaChecker, ValidationIssue } from '../../lib/issues.js'
import { careerHistory } from './career-history.js'
import { isRecord } from './common.js'
import { digitalIdentity } from './digital-identity.js'
import { education } from './education.js'
import { englishProficiency } from './english-proficiency.js'
import { microcredential } from './microcredential.js'
import { rightToWork } from './right-to-work.js'
import type { CredentialTypeDefinition, Envelope } from './types.js'
import { universalCredential } from './universal-credential.js'

/** Every credential type, in the order of spec §4 (also the order of v2 batch sections shown to holders). */
export const credentialTypes: readonly CredentialTypeDefinition[] = [
  education,
  englishProficiency,
  microcredential,
  digitalIdentity,
  rightToWork,
  careerHistory,
  universalCredential,
]

/** The types available on v1 (every type but universal_credential). */
export const v1CredentialTypes: readonly CredentialTypeDefinition[] = credentialTypes.filter(
  (t) => t.v1DocumentTypes !== null,
)

// Maps, not object literals: a name such as '__proto__' or 'constructor' must find nothing.
const byName = new Map(credentialTypes.map((t) => [t.name as string, t]))
const byBatchSection = new Map(credentialTypes.map((t) => [t.batchSection.key, t]))

/** The type called `name` (a `credential_type` value), or undefined for any other string. */
export function getCredentialType(name: string): CredentialTypeDefinition | undefined {
  return byName.get(name)
}

/** The type whose v2 batch section is `key` ('education_items', 'career_history', …), or undefined. */
export function getCredentialTypeByBatchSection(key: string): CredentialTypeDefinition | undefined {
  return byBatchSection.get(key)
}

/**
 * The type's cross-field rules on one credential's fields, pointers prefixed with `prefix` (e.g.
 * '/data/credential', '/education_items/1/fields'). They also run when the schema failed, as long
 * as the value is an object (each rule guards the types it reads), so a partner sees everything in
 * one response; a rule's issue at a pointer in `reported` (where the schema already complained)
 * is left out as noise.
 */
export function credentialRuleIssues(
  def: CredentialTypeDefinition,
  value: unknown,
  envelope: Envelope,
  prefix: string,
  reported: ReadonlySet<string>,
): ValidationIssue[] {
  if (!isRecord(value)) return []
  return def
    .check(value, envelope)
    .map((issue) => ({ pointer: prefix + issue.pointer, message: issue.message }))
    .filter((issue) => !reported.has(issue.pointer))
}

/**
 * Every problem in one credential's fields, pointers prefixed with `prefix`: the schema's, then
 * the type's cross-field rules (`credentialRuleIssues`). For fields whose type is not known to the
 * body's schema (the legacy v1 batch), and for tests of the types. The schema is checked by
 * `checkSchema`: ajv on the server, TypeBox's own validator in the client SDK.
 */
export function validateCredentialFields(
  def: CredentialTypeDefinition,
  value: unknown,
  envelope: Envelope,
  prefix: string,
  checkSchema: SchemaChecker,
): ValidationIssue[] {
  const schemaIssues = checkSchema(def.fields, value, prefix)
  const reported = new Set(schemaIssues.map((issue) => issue.pointer))
  return [...schemaIssues, ...credentialRuleIssues(def, value, envelope, prefix, reported)]
}
