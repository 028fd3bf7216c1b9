/**
 * Terminal output helpers of the CLI: aligned tables and short forms of times and durations.
 */

/** Rows as lines whose columns line up (two spaces apart; the last column is not padded). */
export function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)))
  return all.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  )
}

/** `2026-12-07T01:23:45Z`: an ISO time to the second; `-` for none. */
export function shortTime(iso: string | null | undefined): string {
  if (!iso) return '-'
  return iso.replace(/\.\d+Z$/, 'Z')
}

/** `87 ms`, `1.2 s`; `-` for none. */
export function shortDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-'
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}
