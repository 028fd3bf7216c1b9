import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every level: equal values give equal text, whatever the key order. */
export function canonicalJson(value: unknown): string {
  const sorted = sortedCopy(value)
  return (sorted === UNSORTABLE ? write(value) : JSON.stringify(sorted)) ?? 'null'
}

/** A key the engine lists before the others whatever the insertion order (an array index), or one an assignment cannot make. */
const UNORDERABLE_KEY = /^(?:0|[1-9]\d*|__proto__)$/
const UNSORTABLE = Symbol('unsortable')

/**
 * A copy of a value whose objects have their keys inserted in sorted order, which JSON.stringify
 * (native, about twice as fast as `write`) then writes as `write` would; UNSORTABLE when an object
 * has a key whose place insertion does not decide (array indices come first in any object).
 */
function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return sortedCopy((value as { toJSON(): unknown }).toJSON())
  if (Array.isArray(value)) {
    // Filled by push: a packed array, which JSON.stringify writes on its fast path (not a holey `new Array(n)`).
    const copy: unknown[] = []
    for (let i = 0; i < value.length; i++) {
      const member = sortedCopy(value[i])
      if (member === UNSORTABLE) return UNSORTABLE
      copy.push(member)
    }
    return copy
  }
  const keys = Object.keys(value)
  if (keys.length > 1) keys.sort()
  const copy: Record<string, unknown> = {}
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!
    // Only a key starting with a digit or `_` can be unorderable: the pattern is tested on those alone
    // (testing it on every key cost about half of the copy).
    const first = key.charCodeAt(0)
    if ((first <= 57 || first === 95) && UNORDERABLE_KEY.test(key)) return UNSORTABLE
    const member = sortedCopy((value as Record<string, unknown>)[key])
    if (member === UNSORTABLE) return UNSORTABLE
    copy[key] = member
  }
  return copy
}

/** One value's canonical text, written member by member (any key); undefined where JSON.stringify leaves a member out (undefined, functions). */
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
