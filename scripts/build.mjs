#!/usr/bin/env node
// `npm run build`: compiles the server, the CLI and the SDK into dist/.
//
//   dist/server.js, dist/cli/main.js, …   src/ compiled by tsc (tsconfig.build.json, type-checked)
//   dist/client/client/index.js (+ .d.ts) the SDK (tsconfig.client.json), package.json `exports`
//   dist/**/*.css, *.sql, *.json          every other file of src/, at the same place: the code
//                                         finds them beside itself (import.meta.url), as in src/
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

import { ROOT, STAMP_FILE, sourcesHash } from '../bin/launch.js'

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
  if (transpileOnly) {
    transpile(staging)
  } else {
    tsc('tsconfig.build.json', staging)
    tsc('tsconfig.client.json', path.join(staging, 'client'))
  }
  const assets = copyAssets(staging)
  const mode = transpileOnly ? 'transpile-only' : 'tsc'
  const stamp = { sources, mode, built_at: new Date().toISOString(), node: process.version }
  fs.writeFileSync(path.join(staging, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`)
  swapIn(staging)
  log(`dist/ built (${mode}, ${assets} assets copied) in ${((Date.now() - startedAt) / 1000).toFixed(1)}s`)
} catch (error) {
  fs.rmSync(staging, { recursive: true, force: true })
  log(error.message)
  process.exitCode = 1
}
