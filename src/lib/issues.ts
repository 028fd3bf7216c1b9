import type { TSchema } from 'typebox'

/**
 * Validation issues and their wording, without a validator: the server's (ajv, validation.ts) and
 * the client SDK's (TypeBox's own, src/client/) turn their errors into the same issues here, so a
 * partner sees the same pointers and messages from `validate()` as from the server.
 */

/** One problem in a request body: where (RFC 6901 JSON pointer into what the client sent) and what. */
export interface ValidationIssue {
  pointer: string
  message: string
}

export function escapePointerToken(token: string): string {
  if (!token.includes('~') && !token.includes('/')) return token
  return token.replace(/~/g, '~0').replace(/\//g, '~1')
}

/** Issues as one line of text, each named by its member (`scope must not …; grant_type is required`): the OAuth format's `error_description`. */
export function issuesInOneLine(issues: readonly ValidationIssue[]): string {
  return issues.map(({ pointer, message }) => `${pointer ? pointer.slice(1) : 'the body'} ${message}`).join('; ')
}

/** Joins a base pointer and path tokens: `pointerJoin('/fields', 'employment', 0)` → `/fields/employment/0`. */
export function pointerJoin(base: string, ...tokens: Array<string | number>): string {
  return base + tokens.map((t) => `/${escapePointerToken(String(t))}`).join('')
}

/**
 * Rules a schema cannot express, checked after it: they see the body as sent (also when the schema
 * failed, so that every problem is reported at once: each rule checks the types it reads) and the
 * pointers the schema already complained about (to leave out a second issue at one of them).
 */
export type BodyRules = (body: unknown, reported: ReadonlySet<string>) => ValidationIssue[]

/** Checks `value` against `schema`: every issue, pointers prefixed by `prefix`. The validator the rules use for fields they check themselves. */
export type SchemaChecker = (schema: TSchema, value: unknown, prefix: string) => ValidationIssue[]

/**
 * One error of a JSON Schema validator, in ajv's shape. `parentSchema` is the schema object
 * holding the failed keyword (for its `errorMessage`), `schema` the keyword's value (the
 * branches of an `anyOf`).
 */
export interface SchemaError {
  keyword: string
  instancePath: string
  schemaPath: string
  params: Record<string, unknown> | object
  parentSchema?: unknown
  schema?: unknown
  message?: string
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

function messageFor(error: SchemaError): string {
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

/**
 * The branch of `union` that explains its failure, as a schema path prefix: the one branch whose
 * type the value had (the others failed on `type` at the union's place) and which failed inside,
 * at the value or deeper (an array or null holding an unknown item, an empty array or null, a
 * string or null too short). Undefined when no single branch does: then the union speaks.
 */
function explainingBranch(union: SchemaError, errors: readonly SchemaError[]): string | undefined {
  const branchOf = (e: SchemaError) => e.schemaPath.slice(union.schemaPath.length + 1).split('/')[0]!
  const within = errors.filter(
    (e) =>
      e !== union &&
      e.schemaPath.startsWith(`${union.schemaPath}/`) &&
      (e.instancePath === union.instancePath || e.instancePath.startsWith(`${union.instancePath}/`)),
  )
  const mismatched = new Set(
    within
      .filter((e) => e.keyword === 'type' && e.schemaPath === `${union.schemaPath}/${branchOf(e)}/type`)
      .filter((e) => e.instancePath === union.instancePath)
      .map(branchOf),
  )
  const branches = new Set(within.map(branchOf).filter((branch) => !mismatched.has(branch)))
  return branches.size === 1 ? `${union.schemaPath}/${[...branches][0]}/` : undefined
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

/** Turns validator errors (ajv's shape) into one issue per problem, collapsing the branch noise of unions. */
export function issuesFromErrors(errors: readonly SchemaError[], prefix = ''): ValidationIssue[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
  // A union explained by one branch reports what is wrong inside that branch; otherwise the union speaks.
  const explained = new Map<string, string>()
  for (const union of unions) {
    const branch = explainingBranch(union, errors)
    if (branch) explained.set(union.schemaPath, branch)
  }
  const unionPaths = unions.map((e) => e.schemaPath).filter((p) => !explained.has(p))
  const issues: ValidationIssue[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    if (explained.has(error.schemaPath) && (error.keyword === 'anyOf' || error.keyword === 'oneOf')) continue
    if (unionPaths.some((p) => error.schemaPath !== p && error.schemaPath.startsWith(`${p}/`))) continue
    if (
      [...explained].some(([p, branch]) => error.schemaPath.startsWith(`${p}/`) && !error.schemaPath.startsWith(branch))
    )
      continue
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
