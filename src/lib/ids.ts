const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a canonical UUID: checked before using client input as a uuid column value. */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}
