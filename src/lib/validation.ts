import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsPlugin from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { Static, TSchema } from 'typebox'
import { validationError } from '../errors.js'

/** One problem in a request body: where (RFC 6901 JSON pointer into what the client sent) and what. */
export interface ValidationIssue {
  pointer: string
  message: string
}

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

export function escapePointerToken(token: string): string {
  if (!token.includes('~') && !token.includes('/')) return token
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Joins a base pointer and path tokens: `pointerJoin('/fields', 'employment', 0)` → `/fields/employment/0`. */
export function pointerJoin(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => `/${escapePointerToken(String(t))}`).join('')
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
  return (value, prefix = '') => (validate(value) ? [] : issuesFromAjv(validate.errors ?? [], prefix))
}

/**
 * Rules a schema cannot express, checked after it: they see the body as sent (also when the schema
 * failed, so that every problem is reported at once: each rule checks the types it reads) and the
 * pointers the schema already complained about (to leave out a second issue at one of them).
 */
export type BodyRules = (body: unknown, reported: ReadonlySet<string>) => ValidationIssue[]

/** What `checkBody` found: the value, typed by its schema, or every issue in it. */
export type BodyCheck<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] }

/** `schema`, then `rules`: one pass of each over `value`, every issue at once. */
export function checkBody<S extends TSchema>(schema: S, value: unknown, rules?: BodyRules): BodyCheck<Static<S>> {
  const validate = compiled(schema)
  const valid = validate(value)
  const schemaIssues = valid ? [] : issuesFromAjv(validate.errors ?? [])
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

const ARTICLE_TYPES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'an array',
  null: 'null',
}

function describeTypes(types: unknown): string {
  const list = (Array.isArray(types) ? types : [types]).map((t) => ARTICLE_TYPES[String(t)] ?? String(t))
  return list.join(' or ')
}

function describeBranch(branch: Record<string, unknown>): string {
  if ('const' in branch) return JSON.stringify(branch.const)
  if (Array.isArray(branch.enum)) return branch.enum.map((v) => JSON.stringify(v)).join(', ')
  return describeTypes(branch.type ?? 'value')
}

function messageFor(error: ErrorObject): string {
  const parent = error.parentSchema as Record<string, unknown> | undefined
  const params = error.params as Record<string, unknown>
  const custom = parent && typeof parent.errorMessage === 'string' ? parent.errorMessage : undefined
  switch (error.keyword) {
    case 'required':
      return 'is required'
    case 'additionalProperties':
      return 'is not an allowed property (check the spelling)'
    case 'type':
      return `must be ${describeTypes(params.type)}`
    case 'minLength':
      return params.limit === 1 ? (custom ?? 'must not be empty') : `must be at least ${params.limit} characters long`
    case 'maxLength':
      return `must be at most ${params.limit} characters long`
    case 'pattern':
      return custom ?? `must match the pattern ${params.pattern}`
    case 'format':
      return custom ?? formatMessage(String(params.format))
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`
    case 'minItems':
      return params.limit === 1 ? 'must contain at least one item' : `must contain at least ${params.limit} items`
    case 'maxItems':
      return `must contain at most ${params.limit} items`
    case 'minProperties':
      return params.limit === 1 ? 'must not be an empty object' : `must have at least ${params.limit} properties`
    case 'minimum':
      return `must be ${params.comparison} ${params.limit}`
    case 'maximum':
      return `must be ${params.comparison} ${params.limit}`
    case 'anyOf':
    case 'oneOf': {
      const branches = (error.schema as Array<Record<string, unknown>>) ?? []
      if (branches.every((b) => 'const' in b)) return `must be one of: ${branches.map(describeBranch).join(', ')}`
      return custom ?? `must be ${branches.map(describeBranch).join(' or ')}`
    }
    default:
      return custom ?? error.message ?? 'is invalid'
  }
}

function formatMessage(format: string): string {
  switch (format) {
    case 'date':
      return 'must be a real calendar date in the form YYYY-MM-DD'
    case 'date-time':
      return 'must be a date and time in RFC 3339 form'
    case 'uri':
    case 'url':
      return 'must be an absolute URL'
    case 'email':
      return 'must be an email address'
    default:
      return `must be a valid ${format}`
  }
}

/** Turns ajv errors into one issue per problem, collapsing the branch noise of unions. */
export function issuesFromAjv(errors: ErrorObject[], prefix = ''): ValidationIssue[] {
  const unionPaths = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath)
  const issues: ValidationIssue[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    if (unionPaths.some((p) => error.schemaPath !== p && error.schemaPath.startsWith(`${p}/`))) continue
    let pointer = prefix + error.instancePath
    const params = error.params as Record<string, unknown>
    if (error.keyword === 'required') pointer = pointerJoin(pointer, String(params.missingProperty))
    if (error.keyword === 'additionalProperties') pointer = pointerJoin(pointer, String(params.additionalProperty))
    const issue = { pointer, message: messageFor(error) }
    const key = `${issue.pointer}\u0000${issue.message}`
    if (seen.has(key)) continue
    seen.add(key)
    issues.push(issue)
  }
  return issues
}
