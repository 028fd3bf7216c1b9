import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsPlugin from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { Static, TSchema } from 'typebox'
import { validationError } from '../errors.js'
import { issuesFromErrors, type BodyRules, type SchemaChecker, type ValidationIssue } from './issues.js'

export {
  escapePointerToken,
  issuesFromErrors as issuesFromAjv,
  issuesInOneLine,
  pointerJoin,
  type BodyRules,
  type SchemaChecker,
  type ValidationIssue,
} from './issues.js'

function newAjv(allErrors: boolean): Ajv {
  const instance = new Ajv({
    allErrors,
    verbose: true,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    strict: false,
  })
  ;(addFormatsPlugin as unknown as (a: Ajv) => void)(instance)
  instance.addKeyword({ keyword: 'errorMessage', schemaType: 'string' })
  return instance
}

/**
 * The one ajv instance behind route schemas and credential-type schemas:
 * every error at once, no coercion, nothing removed silently. Schemas may carry an
 * `errorMessage` string that replaces the generic message for failures of their own keywords.
 */
export const ajv = newAjv(true)

/**
 * Bodies of more values than this (strings, numbers, objects, arrays… each counts one) are checked
 * up to their first problem only. Every problem at once costs up to 16 µs a value (a value with
 * several problems: each is an error to make, word and check against the rules), all of it on the
 * event loop: one 1 MiB body of 333,000 empty objects held the server for 5 s. Up to this many
 * values, a body costs at most about 65 ms to report in full; a batch of 100 credentials is about
 * 2,000 values, and a valid body of any size is checked whole (it has no problems to make).
 */
export const FULL_CHECK_VALUES = 4000

/** The same, stopping at the first error: for bodies of more than FULL_CHECK_VALUES values. */
const firstErrorAjv = newAjv(false)

/** Why PostgreSQL could not store a text faithfully (NUL characters, unpaired UTF-16 surrogates), or null when it can. */
export function unstorableTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)'
  if (!text.isWellFormed()) return 'must be valid Unicode (it contains an unpaired surrogate)'
  return null
}

const cache = new WeakMap<object, ValidateFunction>()
const firstErrorCache = new WeakMap<object, ValidateFunction>()

/** The validator of `schema` by `instance`, compiled once per schema object. */
function compiledBy<S extends TSchema>(
  instance: Ajv,
  validators: WeakMap<object, ValidateFunction>,
  schema: S,
): ValidateFunction<Static<S>> {
  let validate = validators.get(schema)
  if (!validate) {
    validate = instance.compile(schema)
    validators.set(schema, validate)
  }
  return validate as ValidateFunction<Static<S>>
}

/** The ajv validator of `schema` (every error), compiled once per schema object. */
function compiled<S extends TSchema>(schema: S): ValidateFunction<Static<S>> {
  return compiledBy(ajv, cache, schema)
}

/** Whether `value` holds more than `limit` values (itself included); stops counting there. */
export function holdsMoreValuesThan(value: unknown, limit: number): boolean {
  const stack: unknown[] = [value]
  let count = 0
  while (stack.length > 0) {
    if (++count > limit) return true
    const next = stack.pop()
    if (typeof next !== 'object' || next === null) continue
    if (Array.isArray(next)) {
      if (count + next.length > limit) return true
      for (const item of next) stack.push(item)
    } else {
      for (const key in next) if (Object.hasOwn(next, key)) stack.push((next as Record<string, unknown>)[key])
    }
  }
  return false
}

/** Compiles (once per schema object) a validator that returns every issue, pointers prefixed by `prefix`. */
export function compileValidator(schema: TSchema): (value: unknown, prefix?: string) => ValidationIssue[] {
  const validate = compiled(schema)
  return (value, prefix = '') => (validate(value) ? [] : issuesFromErrors(validate.errors ?? [], prefix))
}

/**
 * What `checkBody` found: the value, typed by its schema, or its issues: every one, or only the
 * first when the body holds more than FULL_CHECK_VALUES values (`firstOnly`).
 */
export type BodyCheck<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[]; firstOnly: boolean }

/**
 * `schema`, then `rules`: one pass of each over `value`, every issue at once. A body of more than
 * FULL_CHECK_VALUES values is checked up to its schema's first issue; once its schema holds (its
 * lists within their sizes), by the rules in full.
 */
export function checkBody<S extends TSchema>(schema: S, value: unknown, rules?: BodyRules): BodyCheck<Static<S>> {
  const large = holdsMoreValuesThan(value, FULL_CHECK_VALUES)
  const validate = large ? compiledBy(firstErrorAjv, firstErrorCache, schema) : compiled(schema)
  const valid = validate(value)
  if (!valid && large) return { ok: false, issues: issuesFromErrors(validate.errors ?? []), firstOnly: true }
  const schemaIssues = valid ? [] : issuesFromErrors(validate.errors ?? [])
  // concat, not push(...): a body may have thousands of issues, more than a call's arguments.
  const issues = rules ? schemaIssues.concat(rules(value, new Set(schemaIssues.map((i) => i.pointer)))) : schemaIssues
  if (valid && issues.length === 0) return { ok: true, value }
  return { ok: false, issues, firstOnly: false }
}

/**
 * The server's validator compiler: a body is checked by the route's own schema (the one the
 * OpenAPI document shows), then by `rules` where the route has them, and a failure is one 400
 * listing the issues of both (`checkBody`). Parameters, query strings and headers by the schema.
 */
export function bodyValidator(rules?: BodyRules): FastifySchemaCompiler<TSchema> {
  return ({ schema, httpPart }) => {
    if (httpPart !== 'body') return compiled(schema)
    return (body: unknown) => {
      const checked = checkBody(schema, body, rules)
      return checked.ok
        ? true
        : { error: validationError(checked.issues, checked.firstOnly ? { firstOnlyOver: FULL_CHECK_VALUES } : {}) }
    }
  }
}

/** The server's `SchemaChecker`: ajv, as the routes validate. */
export const ajvChecker: SchemaChecker = (schema, value, prefix) => compileValidator(schema)(value, prefix)
