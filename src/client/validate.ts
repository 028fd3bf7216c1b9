import type { TSchema } from 'typebox'
import { Settings } from 'typebox/system'
import { Value } from 'typebox/value'
import {
  issuesFromErrors,
  type BodyRules,
  type SchemaChecker,
  type SchemaError,
  type ValidationIssue,
} from '../lib/issues.js'
import { getCredentialType } from '../modules/credential-types/index.js'
import {
  V1BatchSchema,
  v1BatchRules,
  v1SingleRules,
  v1SingleSchema,
  V2BatchSchema,
  v2BatchRules,
  v2ItemSchema,
  v2SingleRules,
} from '../modules/intake-bodies/index.js'
import type { CredentialType } from './types.js'

/**
 * Local validation with the server's own schemas (src/modules/credential-types/,
 * src/modules/intake-bodies/) and rules, checked by TypeBox's validator instead of the server's
 * ajv; its errors are worded by the same code (src/lib/issues.ts), so `validate()` returns the
 * pointers and messages the server's 400 would list. test/client/validate.agreement.test.ts and
 * the credential-type and intake validation tests hold the two to that.
 */

/** The schema object at a `#/…` path of `root`. */
function schemaAt(root: unknown, path: string): unknown {
  let node = root
  for (const raw of path.replace(/^#\/?/, '').split('/')) {
    if (raw === '' || node === null || typeof node !== 'object') continue
    node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')]
  }
  return node
}

/**
 * TypeBox's errors in ajv's shape: one `required` / `additionalProperties` error per property (as
 * ajv reports them with allErrors), `schemaPath` ending in the keyword, the failed schema attached.
 */
function ajvShaped(root: TSchema, errors: ReturnType<typeof Value.Errors>): SchemaError[] {
  const shaped: SchemaError[] = []
  for (const error of errors) {
    const parentSchema = schemaAt(root, error.schemaPath)
    const base = {
      keyword: error.keyword,
      instancePath: error.instancePath,
      schemaPath: `${error.schemaPath}/${error.keyword}`,
      parentSchema,
      schema: (parentSchema as Record<string, unknown> | undefined)?.[error.keyword],
    }
    if (error.keyword === 'boolean' && error.schemaPath.endsWith('/additionalProperties')) continue
    if (error.keyword === 'required') {
      for (const missingProperty of error.params.requiredProperties)
        shaped.push({ ...base, params: { missingProperty } })
    } else if (error.keyword === 'additionalProperties') {
      for (const additionalProperty of error.params.additionalProperties) {
        shaped.push({ ...base, params: { additionalProperty } })
      }
    } else {
      shaped.push({ ...base, params: error.params })
    }
  }
  return shaped
}

/** Every error of `value`: TypeBox stops at `maxErrors` (8 by default), a setting of the process, restored at once. */
function allErrors(schema: TSchema, value: unknown): ReturnType<typeof Value.Errors> {
  const { maxErrors } = Settings.Get()
  Settings.Set({ maxErrors: Number.MAX_SAFE_INTEGER })
  try {
    return Value.Errors(schema, value)
  } finally {
    Settings.Set({ maxErrors })
  }
}

/** The SDK's `SchemaChecker`: TypeBox's validator, errors worded as the server words ajv's. */
export const typeboxChecker: SchemaChecker = (schema, value, prefix) =>
  Value.Check(schema, value) ? [] : issuesFromErrors(ajvShaped(schema, allErrors(schema, value)), prefix)

/** `schema`, then `rules`, as the server's `checkBody` runs them. */
function check(schema: TSchema, value: unknown, rules: BodyRules): ValidationIssue[] {
  const schemaIssues = typeboxChecker(schema, value, '')
  return schemaIssues.concat(rules(value, new Set(schemaIssues.map((issue) => issue.pointer))))
}

/**
 * What a payload is sent as: a single add of a type (v2 by default), a batch of an API version, or
 * `'batch'`: a v1 batch when it has `credentials`, else a v2 batch (as `submitBatch` sends it).
 */
export type ValidateTarget = { type: CredentialType; version?: 1 | 2 } | { batch: 1 | 2 } | 'batch'

const singles = new Map<string, { schema: TSchema; rules: BodyRules }>()
const v1Batch = v1BatchRules(typeboxChecker)

/**
 * Every problem the server would report for `payload` (its 400's `errors`: pointers into the
 * payload, messages), or `[]` when it would accept it. Limits that depend on the server's
 * configuration (batch sizes: 413) and on its storage (text PostgreSQL cannot hold) are not checked.
 */
export function validate(payload: unknown, target: ValidateTarget = 'batch'): ValidationIssue[] {
  if (target === 'batch' || 'batch' in target) {
    const v1 =
      target === 'batch'
        ? typeof payload === 'object' && payload !== null && 'credentials' in payload
        : target.batch === 1
    return v1 ? check(V1BatchSchema, payload, v1Batch) : check(V2BatchSchema, payload, v2BatchRules)
  }
  const version = target.version ?? 2
  const key = `${version}:${target.type}`
  let single = singles.get(key)
  if (!single) {
    const def = getCredentialType(target.type)
    if (!def || (version === 1 && !def.v1DocumentTypes)) {
      throw new TypeError(`${target.type} is not a credential type of the v${version} API`)
    }
    single =
      version === 1
        ? { schema: v1SingleSchema(def.fields), rules: v1SingleRules(def) }
        : { schema: v2ItemSchema(def.fields), rules: v2SingleRules(def) }
    singles.set(key, single)
  }
  return check(single.schema, payload, single.rules)
}
