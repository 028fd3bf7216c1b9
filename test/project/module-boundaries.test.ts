import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

/**
 * Each folder of `src/modules/` is a module whose `index.ts` is its public surface: code outside
 * the module (other modules, the jobs, the CLI, the composition root) imports only that index, never
 * the module's other files, so a module can be reorganised without its users noticing.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SRC = path.join(ROOT, 'src')
const MODULES = path.join(SRC, 'modules')
const IMPORT = /(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?'(\.[^']+)'/g

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return /\.tsx?$/.test(entry.name) ? [full] : []
  })
}

/** The module a file belongs to (its folder under src/modules), or null outside the modules. */
function moduleOf(file: string): string | null {
  const rel = path.relative(MODULES, file)
  return rel.startsWith('..') ? null : (rel.split(path.sep)[0] ?? null)
}

test('code outside a module imports only its index.ts', () => {
  const crossings: string[] = []
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8')
    for (const match of text.matchAll(IMPORT)) {
      const target = path.resolve(path.dirname(file), match[1]!).replace(/\.js$/, '.ts')
      const targetModule = moduleOf(target)
      if (targetModule === null || targetModule === moduleOf(file)) continue
      if (target === path.join(MODULES, targetModule, 'index.ts')) continue
      crossings.push(`${path.relative(ROOT, file)} imports ${path.relative(ROOT, target)}`)
    }
  }
  assert.deepEqual(crossings, [], 'import the module through its index.ts (export what is needed there)')
})

test('every module has an index.ts', () => {
  const modules = readdirSync(MODULES, { withFileTypes: true }).filter((entry) => entry.isDirectory())
  assert.ok(modules.length > 0)
  for (const { name } of modules) {
    assert.ok(
      sourceFiles(path.join(MODULES, name)).includes(path.join(MODULES, name, 'index.ts')),
      `src/modules/${name}/index.ts is missing`,
    )
  }
})
