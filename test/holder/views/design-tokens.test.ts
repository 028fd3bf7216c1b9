import assert from 'node:assert/strict'
import fs from 'node:fs'
import { describe, it } from 'node:test'

/**
 * The stylesheet's colour tokens (holder.css `:root`, and its dark-scheme override): every text
 * colour on every surface it is used on reaches WCAG AA's 4.5:1, in both schemes.
 */
const CSS = fs.readFileSync(new URL('../../../src/modules/holder/static/holder.css', import.meta.url), 'utf8')

/** The `--name: #hex` declarations of the first block after `marker`. */
function tokens(marker: string): Record<string, string> {
  const start = CSS.indexOf(marker)
  assert.ok(start >= 0, `no ${marker} in holder.css`)
  const block = CSS.slice(start, CSS.indexOf('}', start))
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1]!, m[2]!]))
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}
const ratio = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

/** Text token → the surfaces it is shown on. */
const PAIRS: Array<[string, string[]]> = [
  ['ink', ['paper', 'wash', 'good-wash', 'warn-wash', 'bad-wash', 'info-wash']],
  ['muted', ['paper', 'wash']],
  ['accent', ['paper', 'wash', 'info-wash']],
  ['accent-ink', ['accent']],
  ['good', ['good-wash', 'paper']],
  ['warn', ['warn-wash', 'paper']],
  ['bad', ['bad-wash', 'paper']],
  ['info', ['info-wash', 'paper']],
]

describe('design tokens', () => {
  const light = tokens(':root {')
  const dark = { ...light, ...tokens('@media (prefers-color-scheme: dark)') }

  for (const [scheme, palette] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    it(`text reaches 4.5:1 on its surfaces in the ${scheme} scheme`, () => {
      const low: string[] = []
      for (const [text, surfaces] of PAIRS)
        for (const surface of surfaces) {
          const [fg, bg] = [palette[text], palette[surface]]
          assert.ok(fg && bg, `--${text} / --${surface} missing in ${scheme}`)
          if (ratio(fg, bg) < 4.5) low.push(`--${text} on --${surface}: ${ratio(fg, bg).toFixed(2)}`)
        }
      assert.deepEqual(low, [])
    })
  }

  it('the dark scheme is dark, and overrides every colour token', () => {
    assert.ok(luminance(dark.paper!) < 0.05 && luminance(dark.wash!) < 0.05)
    const own = tokens('@media (prefers-color-scheme: dark)')
    for (const name of Object.keys(light)) assert.ok(name in own, `--${name} has no dark value`)
  })
})
