import assert from 'node:assert/strict'
import fs from 'node:fs'
import { it } from 'node:test'
import { EnvSchema } from '../../src/config.js'

it('the README configuration table lists every environment variable, and nothing else', () => {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Administering partners'))
  const documented = [...section.matchAll(/^\| `([A-Z0-9_]+)` +\|/gm)].map((m) => m[1])
  assert.deepEqual(documented.sort(), Object.keys(EnvSchema.properties).sort())
})
