import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every level: equal values give equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null'
}

/** One value's canonical text; undefined where JSON.stringify leaves a member out (undefined, functions). */
function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return write((value as { toJSON(): unknown }).toJSON())
  if (Array.isArray(value)) {
    let text = '['
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + (write(value[i]) ?? 'null')
    return `${text}]`
  }
  let text = '{'
  let first = true
  for (const key of Object.keys(value).sort()) {
    const member = write((value as Record<string, unknown>)[key])
    if (member === undefined) continue
    text += `${first ? '' : ','}${JSON.stringify(key)}:${member}`
    first = false
  }
  return `${text}}`
}

/** Hex SHA-256 of the canonical JSON of a value. */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}
