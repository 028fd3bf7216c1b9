import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/**
 * `npm run lint` is clean: Biome finds no format difference and no lint diagnostic (warnings
 * count as errors). `npm run format` fixes what it can.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const BIOME = path.join(ROOT, 'node_modules/@biomejs/biome/bin/biome')

test('biome check reports nothing (npm run lint)', async () => {
  const result = await promisify(execFile)(
    process.execPath,
    [BIOME, 'check', '--error-on-warnings', '--colors=off', '--max-diagnostics=50', ROOT],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  ).then(
    () => ({ code: 0, output: '' }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? 1,
      output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
    }),
  )
  assert.equal(
    result.code,
    0,
    `biome found problems (npm run format fixes formatting):\n${result.output.slice(0, 8000)}`,
  )
})
