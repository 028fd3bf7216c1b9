import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsPlugin from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { Static, TSchema } from 'typebox'
import { validationError } from '../errors.js'
import { issuesFromErrors, type BodyRules, type SchemaChecker, type ValidationIssue } from './issues.js'

export {
  escapePointerToken,
  issuesFromErrors as issuesFromAjv,
  pointerJoin,
  type BodyRules,
  type SchemaChecker,
  type ValidationIssue,
} from './issues.js'

/**
 * The one ajv instance behind route schemas and credential-type schemas:
 * every error at once, no coercion, nothing removed silently. Schemas may carry an
 * `errorMessage` string that replaces the generic message for failures of their own keywords.
 */
export const ajv = new Ajv({
  allErrors: true,
  verbose: true,
  coerceTypes: false,
  removeAdditional: false,
  useDefaults: false,
  strict: false,
})
;(addFormatsPlugin as unknown as (a: Ajv) => void)(ajv)
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' })

/** Why PostgreSQL could not store a text faithfully (NUL characters, unpaired UTF-16 surrogates), or null when it can. */
export function unstorableTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)'
  if (!text.isWellFormed()) return 'must be valid Unicode (it contains an unpaired surrogate)'
  return null
}

const cache = new WeakMap<object, ValidateFunction>()

/** The ajv validator of `schema`, compiled once per schema object. */
function compiled<S extends TSchema>(schema: S): ValidateFunction<Static<S>> {
  let validate = cache.get(schema)
  if (!validate) {
    validate = ajv.compile(schema)
    cache.set(schema, validate)
  }
  return validate as ValidateFunction<Static<S>>
}

/** Compiles (once per schema object) a validator that returns every issue, pointers prefixed by `prefix`. */
export function compileValidator(schema: TSchema): (value: unknown, prefix?: string) => ValidationIssue[] {
  const validate = compiled(schema)
  return (value, prefix = '') => (validate(value) ? [] : issuesFromErrors(validate.errors ?? [], prefix))
}

/** What `checkBody` found: the value, typed by its schema, or every issue in it. */
export type BodyCheck<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] }

/** `schema`, then `rules`: one pass of each over `value`, every issue at once. */
export function checkBody<S extends TSchema>(schema: S, value: unknown, rules?: BodyRules): BodyCheck<Static<S>> {
  const validate = compiled(schema)
  const valid = validate(value)
  const schemaIssues = valid ? [] : issuesFromErrors(validate.errors ?? [])
  // concat, not push(...): a body may have hundreds of thousands of issues, more than a call's arguments.
  const issues = rules ? schemaIssues.concat(rules(value, new Set(schemaIssues.map((i) => i.pointer)))) : schemaIssues
  if (valid && issues.length === 0) return { ok: true, value }
  return { ok: false, issues }
}

/**
 * The validator compiler of a route whose body has rules besides its schema: the body is checked
 * by the route's own schema (the one the OpenAPI document shows), then by `rules`, and a failure
 * is one 400 listing every issue of both.
 */
export function bodyValidator(rules: BodyRules): FastifySchemaCompiler<TSchema> {
  return ({ schema, httpPart }) => {
    if (httpPart !== 'body') return compiled(schema)
    return (body: unknown) => {
      const checked = checkBody(schema, body, rules)
      return checked.ok ? true : { error: validationError(checked.issues) }
    }
  }
}

/** The server's `SchemaChecker`: ajv, as the routes validate. */
export const ajvChecker: SchemaChecker = (schema, value, prefix) => compileValidator(schema)(value, prefix)
