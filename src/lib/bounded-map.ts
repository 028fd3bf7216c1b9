/**
 * Sets `key` to `value` in a map used as a size-capped cache: when the map already holds `max`
 * entries, the oldest inserted one is dropped first, so the map never grows beyond `max`.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max) map.delete(map.keys().next().value!)
  map.set(key, value)
}

/**
 * The value `map` holds for `key`, built by `build` and kept on first use; with `max`, the map is
 * a size-capped cache as `setBounded` keeps it.
 */
export function keptOrBuilt<K, V>(map: Map<K, V>, key: K, build: () => V, max = Number.POSITIVE_INFINITY): V {
  let value = map.get(key)
  if (value === undefined) {
    value = build()
    setBounded(map, key, value, max)
  }
  return value
}
