import assert from 'node:assert/strict'
import fs from 'node:fs'
import { it } from 'node:test'
import semver from 'semver'

const read = (file: string) => JSON.parse(fs.readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'))

it('every installed package supports the oldest Node the project declares (npm ci prints no EBADENGINE)', () => {
  const declared: string = read('package.json').engines.node
  const oldest = semver.minVersion(declared)!.version
  const lock = read('package-lock.json') as { packages: Record<string, { version?: string; engines?: unknown }> }
  const refusing = Object.entries(lock.packages)
    .filter(([name, entry]) => name !== '' && typeof entry.engines === 'object' && entry.engines !== null)
    .map(([name, entry]) => ({ name, version: entry.version, node: (entry.engines as { node?: string }).node }))
    .filter((entry) => entry.node && !semver.satisfies(oldest, entry.node))
  assert.deepEqual(refusing, [], `packages that refuse Node ${oldest} (declared ${declared})`)
})
