// Readers for a credential's stored fields. The fields were validated on intake, but views treat
// them as untrusted data: a member of the wrong type reads as absent, so it is simply not shown.

/** A JSON object with members not yet type-checked. */
export type Fields = Readonly<Record<string, unknown>>

/** True for a plain object (not null, not an array). */
export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `fields[key]` when it is a string with something other than white space; undefined otherwise. */
export function text(fields: Fields | undefined, key: string): string | undefined {
  const value = fields?.[key]
  return typeof value === 'string' && value.trim() !== '' ? value : undefined
}

/** `fields[key]` when it is exactly `true`. */
export function isTrue(fields: Fields | undefined, key: string): boolean {
  return fields?.[key] === true
}

/** The non-blank strings of the array `fields[key]`; [] when absent or not an array. */
export function texts(fields: Fields | undefined, key: string): string[] {
  const value = fields?.[key]
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '')
    : []
}

/** `fields[key]` when it is an object; undefined otherwise. */
export function object(fields: Fields | undefined, key: string): Fields | undefined {
  const value = fields?.[key]
  return isObject(value) ? value : undefined
}

/** The objects of the array `fields[key]`; [] when absent or not an array. */
export function objects(fields: Fields | undefined, key: string): Fields[] {
  const value = fields?.[key]
  return Array.isArray(value) ? value.filter(isObject) : []
}
