import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

/**
 * Each folder of `src/modules/` is a module whose `index.ts` is its public surface: code outside
 * the module (other modules, the jobs, the CLI, the composition root) imports only that index, never
 * the module's other files, so a module can be reorganised without its users noticing. A module may
 * also have a `wire.ts`: its wire schemas, pure (TypeBox and other pure files only), which the SDK
 * builds its types on without pulling in the server.
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
      if (target === path.join(MODULES, targetModule, 'wire.ts')) continue
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

/** Relative imports of a file, resolved to .ts paths, and its package imports. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(file, 'utf8')
  const local: string[] = []
  const packages: string[] = []
  for (const match of text.matchAll(/(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/g)) {
    const specifier = match[1]!
    if (specifier.startsWith('.')) local.push(path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts'))
    else packages.push(specifier)
  }
  return { local, packages }
}

test('a wire.ts and everything it imports uses no package but TypeBox', () => {
  const wires = readdirSync(MODULES)
    .map((name) => path.join(MODULES, name, 'wire.ts'))
    .filter((file) => sourceFiles(path.dirname(file)).includes(file))
  assert.ok(wires.length > 0)
  const seen = new Set<string>()
  const impure: string[] = []
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    const { local, packages } = importsOf(file)
    for (const name of packages)
      if (!/^typebox(\/|$)/.test(name)) impure.push(`${path.relative(ROOT, file)} imports ${name}`)
    for (const next of local) visit(next)
  }
  for (const wire of wires) visit(wire)
  assert.deepEqual(impure, [])
})
