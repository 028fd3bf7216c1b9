import assert from 'node:assert/strict'
import fs from 'node:fs'
import { it } from 'node:test'
import { EnvSchema } from '../../src/config.js'

/**
 * The README's configuration table and src/config.ts (whose descriptions and defaults the start-up
 * error report uses) say the same: every variable, its default, its meaning.
 */

const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Administering partners'))
const rows = new Map(
  [...section.matchAll(/^\| `([A-Z0-9_]+)` +\| (.*?) +\| (.*?) +\|$/gm)].map((m) => [
    m[1]!,
    { fallback: m[2]!, meaning: m[3]! },
  ]),
)
const variables = Object.entries(EnvSchema.properties) as Array<[string, { description?: string; default?: unknown }]>

/** A default the description states in a last sentence ("Default `http://localhost:$PORT`."), for computed ones. */
const STATED_DEFAULT = / Default (`[^`]+`)\.$/

it('the README configuration table lists every environment variable, and nothing else', () => {
  assert.deepEqual([...rows.keys()].sort(), variables.map(([name]) => name).sort())
})

it('each row gives the default and the meaning that src/config.ts gives', () => {
  for (const [name, schema] of variables) {
    const row = rows.get(name)!
    const description = schema.description ?? ''
    const stated = STATED_DEFAULT.exec(description)?.[1]
    const fallback =
      schema.default === undefined ? (stated ?? '—') : schema.default === '' ? '(empty)' : `\`${schema.default}\``
    assert.equal(row.fallback, fallback, `${name}: its default`)
    // The README may point to its own sections: "(see [Documents in S3](#documents-in-s3))".
    const meaning = row.meaning.replace(/ \(see \[[^\]]+\]\(#[^)]+\)\)/g, '')
    assert.equal(meaning, description.replace(STATED_DEFAULT, ''), `${name}: its meaning`)
  }
})
