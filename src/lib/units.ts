const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
}

/** `"2h"` → 7_200_000 ms; a bare number is seconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)?\s*$/i.exec(text)
  if (!match) throw new Error(`not a duration: ${text}`)
  return Number(match[1]) * DURATION_UNITS[(match[2] ?? 's').toLowerCase()]!
}

/** `"1mb"` → 1_048_576; a bare number is bytes. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(text)
  if (!match) throw new Error(`not a size: ${text}`)
  return Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()]!
}
