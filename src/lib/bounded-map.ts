/**
 * Sets `key` to `value` in a map used as a size-capped cache: when the map already holds `max`
 * entries, the oldest inserted one is dropped first, so the map never grows beyond `max`.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max) map.delete(map.keys().next().value!)
  map.set(key, value)
}
