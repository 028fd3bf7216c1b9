import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/**
 * The whole project (src, test, bench, scripts) type-checks in strict mode: tsx runs the code
 * without checking types, so without this test a type error could pass `npm test`.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc')

test('tsc --noEmit reports no errors', async () => {
  const result = await promisify(execFile)(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '-p', ROOT], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? 1, stdout: error.stdout ?? '' }),
  )
  assert.equal(result.code, 0, `tsc found type errors:\n${result.stdout.slice(0, 8000)}`)
})
