import { Type, type Static, type TSchema, type TProperties } from 'typebox'
import { pointerJoin, type ValidationIssue } from '../../lib/issues.js'

/** Longest accepted name, title or code (characters). */
export const NAME_MAX = 1000
/** Longest accepted free-text value (characters). */
export const TEXT_MAX = 10_000

/** An object whose members have not been type-checked yet: what cross-field checks read. */
export type Unchecked = { readonly [key: string]: unknown }

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Unchecked {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An object schema that rejects unknown properties (a typo must not silently lose data). */
export function strictObject<P extends TProperties>(properties: P, description: string) {
  return Type.Object(properties, { description, additionalProperties: false })
}

/** A string that must contain something other than white space. */
export function nonBlank(description: string, maxLength = NAME_MAX) {
  return Type.String({ description, pattern: '\\S', errorMessage: 'must not be empty or blank', maxLength })
}

/** Any string, empty allowed (optional free text), bounded in length. */
export function text(description: string, maxLength = TEXT_MAX) {
  return Type.String({ description, maxLength })
}

/** A real calendar date `YYYY-MM-DD` (`2024-02-30` is refused, `2024-02-29` accepted). */
export function calendarDate(description: string) {
  return Type.String({ description, format: 'date' })
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/

/** A month `YYYY-MM`. */
export function yearMonth(description: string) {
  return Type.String({ description, pattern: MONTH.source, errorMessage: 'must be a month in the form YYYY-MM' })
}

/** A year `YYYY`. */
export function year(description: string) {
  return Type.String({ description, pattern: '^\\d{4}$', errorMessage: 'must be a year in the form YYYY' })
}

/**
 * `schema` or null. Written as `type: [T, 'null']` rather than a union so that a wrong value
 * inside (a blank string, a bad date, an array item) is reported with its own message and
 * pointer instead of a generic "must be X or null".
 */
export function nullable<T extends TSchema>(schema: T) {
  const { type } = schema as { type?: unknown }
  if (typeof type !== 'string') throw new TypeError('nullable() needs a schema with a single type')
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] })
}

/** A `partner_chain` schema: intermediaries from the partner towards the issuer (spec §3.3). */
export function partnerChain(
  description = 'Intermediary organisations, ordered from the partner side towards the issuer, excluding both; ' +
    'null or absent when there are none.',
) {
  const intermediary = strictObject({ name: nonBlank('Name of the intermediary organisation.') }, 'One intermediary.')
  return nullable(Type.Array(intermediary, { description, maxItems: 20 }))
}

/** `partner_chain` as it appears beside `credential` / `fields` and inside them. */
export const PartnerChainSchema = partnerChain()

/** The `partner_chain` property, optional on every credential type. */
export const partnerChainProperty = { partner_chain: Type.Optional(PartnerChainSchema) }

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True for a string `YYYY-MM-DD` naming a real calendar day. */
export function isCalendarDate(value: unknown): value is string {
  const match = typeof value === 'string' ? DATE.exec(value) : null
  if (!match) return false
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** True for a string `YYYY-MM` with a month 01–12. */
export function isYearMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH.test(value)
}

/**
 * `[issue]` when `object[later]` is before `object[earlier]`, both read as `isValid` dates
 * (`YYYY-MM-DD` or `YYYY-MM`, which compare correctly as strings); `[]` otherwise.
 */
export function notBefore(
  object: Unchecked,
  later: string,
  earlier: string,
  isValid: (value: unknown) => value is string = isCalendarDate,
  base = '',
): ValidationIssue[] {
  const [from, to] = [object[earlier], object[later]]
  if (!isValid(from) || !isValid(to) || to >= from) return []
  return [{ pointer: pointerJoin(base, later), message: `must not be before ${earlier}` }]
}

/**
 * A deep copy of a JSON value, so `normalize` never hands back (and never changes) the caller's
 * object. A `__proto__` key is defined as an own property, so it stays a key.
 */
export function copyOf<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(copyOf) as T
  const copy: Record<string, unknown> = {}
  for (const key of Object.keys(value)) {
    const member = copyOf((value as Record<string, unknown>)[key])
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: member, enumerable: true, writable: true, configurable: true })
    else copy[key] = member
  }
  return copy as T
}
