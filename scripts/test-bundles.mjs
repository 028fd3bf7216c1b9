// Pre-bundled copies of the ESM packages that are many small modules, for the test files' processes
// (made by scripts/test.mjs once a run, used through scripts/test-bundle-hooks.mjs).
//
// Why: a test file's process runs under tsx, whose module hooks run in a thread of their own in
// Node 20, so that every module resolved and loaded costs a round trip between two threads. The
// app's module graph is about 1,050 modules, 680 of them TypeBox's (`typebox` is one file an
// export) and 46 jose's: loaded one by one through the hooks they cost ~0.6 s of CPU in each of
// the ~130 processes that import the app (2.0 s → 1.35 s to import src/app.ts and src/deps.ts).
// Bundled with esbuild (every export of the package in one build, `splitting`: the exports share
// their common chunks, so the process still holds one instance of each of the package's modules
// and its state), the same code is a dozen files. The server and CLI processes the tests start
// run without hooks and load the installed packages as they are.

import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

export const BUNDLED_PACKAGES = ['typebox', 'jose']
const CONDITIONS = ['import', 'node', 'default']

/** The file an `exports` entry names for `import` in Node (undefined: none, or not a module). */
function importTarget(entry) {
  if (typeof entry === 'string') return /\.m?js$/.test(entry) ? entry : undefined
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return undefined
  for (const condition of CONDITIONS) {
    if (condition in entry) {
      const target = importTarget(entry[condition])
      if (target) return target
    }
  }
  return undefined
}

/**
 * Bundles each package of BUNDLED_PACKAGES (every entry of its `exports` without a wildcard)
 * into `outDir/<package>/`; returns { specifier: file URL } for the hooks (an empty object when
 * esbuild is missing: the processes then load the packages as installed).
 */
export async function bundlePackages(root, outDir) {
  const require = createRequire(path.join(root, 'package.json'))
  let esbuild
  try {
    esbuild = await import(pathToFileURL(require.resolve('esbuild')).href)
  } catch {
    return {}
  }
  const map = {}
  for (const name of BUNDLED_PACKAGES) {
    const packageDir = path.join(root, 'node_modules', name)
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'))
    const entryPoints = {}
    const specifiers = {}
    for (const [key, entry] of Object.entries(manifest.exports ?? {})) {
      const target = importTarget(entry)
      if (key.includes('*') || !target) continue
      const entryName = key === '.' ? 'index' : key.slice(2).replaceAll('/', '__')
      entryPoints[entryName] = path.join(packageDir, target)
      specifiers[key === '.' ? name : `${name}/${key.slice(2)}`] = entryName
    }
    const out = path.join(outDir, name)
    await esbuild.build({
      entryPoints,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      outdir: out,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    })
    for (const [specifier, entryName] of Object.entries(specifiers)) {
      map[specifier] = pathToFileURL(path.join(out, `${entryName}.mjs`)).href
    }
  }
  return map
}
