#!/usr/bin/env node
// `npm run build`: compiles the server, the CLI and the SDK into dist/.
//
//   dist/server.js, dist/cli/main.js, …   src/ compiled by tsc (tsconfig.build.json, type-checked)
//   dist/client/client/index.js (+ .d.ts) the SDK (tsconfig.client.json), package.json `exports`
//   dist/**/*.css, *.sql, *.json          every other file of src/, at the same place: the code
//                                         finds them beside itself (import.meta.url), as in src/
//   dist/vendor/typebox/, dist/vendor/jose/  those packages bundled (scripts/bundle-packages.mjs),
//                                         which the compiled server and CLI import instead of the
//                                         installed ones (the SDK keeps importing the installed ones)
//   dist/build-stamp.json                 the SHA-256 of the sources it was built from: the
//                                         launchers (bin/launch.js) run dist/ only while it matches
//
// --transpile-only: each file is transpiled on its own (TypeScript's transpileModule, the same
// per-file emit the type-checked build produces), without type checking and without the SDK, in
// about a second instead of ten or more. The test runner (scripts/test.mjs) builds so when dist/ is
// stale; the type check is test/project/typecheck.test.ts's job.
//
// The output is written to a fresh folder beside dist/ and then swapped in: a process starting
// meanwhile sees the old build or the new one (or, for an instant, none and runs the sources).

import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

import { fileURLToPath } from 'node:url'
import { ROOT, STAMP_FILE, sourcesHash } from '../bin/launch.js'
import { BUNDLED_PACKAGES, bundlePackages } from './bundle-packages.mjs'

const require = createRequire(import.meta.url)
const SRC = path.join(ROOT, 'src')
const DIST = path.join(ROOT, 'dist')
const COMPILED = /\.tsx?$/

const log = (message) => process.stderr.write(`[build] ${message}\n`)

function walk(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) walk(full, found)
    else if (entry.isFile()) found.push(full)
  }
  return found
}

function tsc(project, outDir) {
  const result = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', project, '--outDir', outDir],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  )
  if (result.status !== 0) throw new Error(`tsc -p ${project} failed`)
}

function transpile(outDir) {
  const ts = require('typescript')
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
      },
    },
  )
  for (const file of parsed.fileNames) {
    if (file.endsWith('.d.ts')) continue
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      // Every file is an ES module ("type": "module"): NodeNext alone would read it as CommonJS here.
      compilerOptions: {
        ...parsed.options,
        module: ts.ModuleKind.ES2022,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
      },
      fileName: file,
      reportDiagnostics: false,
    })
    const target = path.join(outDir, path.relative(SRC, file)).replace(COMPILED, '.js')
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, outputText)
  }
}

function copyAssets(outDir) {
  let count = 0
  for (const file of walk(SRC)) {
    if (COMPILED.test(file)) continue
    const target = path.join(outDir, path.relative(SRC, file))
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.copyFileSync(file, target)
    count++
  }
  return count
}

/** An import of a bundled package (`from 'typebox/value'`, `import('jose')`) in compiled code. */
const PACKAGE_IMPORT = new RegExp(
  String.raw`(\bfrom\s*|\bimport\s*\(\s*)(['"])((?:${BUNDLED_PACKAGES.join('|')})(?:/[^'"]*)?)\2`,
  'g',
)

/**
 * Bundles TypeBox and jose into `outDir/vendor/` and points every compiled file in `outDir` at
 * them (a relative import of the bundle instead of the package); returns how many imports were
 * pointed. Without esbuild (a build from a tree without development packages) nothing changes
 * and the installed packages are imported. Run before the SDK is compiled into `outDir`, so the
 * SDK keeps importing the installed packages, as its users' own code does.
 */
async function vendorPackages(outDir) {
  const vendor = path.join(outDir, 'vendor')
  const bundles = await bundlePackages(ROOT, vendor)
  if (Object.keys(bundles).length === 0) return 0
  let pointed = 0
  for (const file of walk(outDir)) {
    if (!file.endsWith('.js') || file.startsWith(vendor + path.sep)) continue
    const text = fs.readFileSync(file, 'utf8')
    const rewritten = text.replace(PACKAGE_IMPORT, (_match, keyword, quote, specifier) => {
      const bundle = bundles[specifier]
      // One instance of each package per process: an export the bundle lacks must not fall back to the package.
      if (!bundle) throw new Error(`${path.relative(outDir, file)} imports ${specifier}, which is not bundled`)
      const relative = path.relative(path.dirname(file), fileURLToPath(bundle)).split(path.sep).join('/')
      pointed++
      return `${keyword}${quote}${relative.startsWith('.') ? relative : `./${relative}`}${quote}`
    })
    if (rewritten !== text) fs.writeFileSync(file, rewritten)
  }
  return pointed
}

function swapIn(staging) {
  const old = `${staging}-old`
  if (fs.existsSync(DIST)) fs.renameSync(DIST, old)
  fs.renameSync(staging, DIST)
  fs.rmSync(old, { recursive: true, force: true })
}

const transpileOnly = process.argv.includes('--transpile-only')
const startedAt = Date.now()
// Hashed first: a source edited during the build leaves a stamp that no longer matches it.
const sources = sourcesHash()
const staging = fs.mkdtempSync(path.join(ROOT, '.dist-'))
try {
  if (transpileOnly) transpile(staging)
  else tsc('tsconfig.build.json', staging)
  const vendored = await vendorPackages(staging)
  if (!transpileOnly) tsc('tsconfig.client.json', path.join(staging, 'client'))
  const assets = copyAssets(staging)
  const mode = transpileOnly ? 'transpile-only' : 'tsc'
  const stamp = { sources, mode, built_at: new Date().toISOString(), node: process.version }
  fs.writeFileSync(path.join(staging, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`)
  swapIn(staging)
  const packages = vendored > 0 ? `${BUNDLED_PACKAGES.join(' and ')} bundled` : 'packages as installed'
  log(`dist/ built (${mode}, ${assets} assets copied, ${packages}) in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`)
} catch (error) {
  fs.rmSync(staging, { recursive: true, force: true })
  log(error.message)
  process.exitCode = 1
}
