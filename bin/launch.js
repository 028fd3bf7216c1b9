// Which code the launchers (bin/credport.js, bin/server.js) run:
//
// - the compiled build, dist/<entry>.js, when dist/build-stamp.json says it was built from the
//   sources as they are now (a SHA-256 over src/ and the tsconfig files it was compiled with), or
//   when there are no sources at all (a production image holds dist/ only);
// - otherwise the TypeScript sources, src/<entry>.ts, through tsx's loader registered in this
//   process (a clone that was never built, or whose sources changed since `npm run build`).
//
// CREDPORT_RUN=dist or CREDPORT_RUN=src forces one of them. Plain JavaScript: it runs before any
// loader exists. Checking costs a few milliseconds (hashing ~2 MB); starting from dist saves tsx,
// esbuild and their compile time.

import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const STAMP_FILE = 'build-stamp.json'
/** What the build compiles from: a change to any of them makes dist/ stale. */
export const BUILD_INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json']

function inputFiles(root, relative, found) {
  const full = path.join(root, relative)
  const stat = fs.statSync(full, { throwIfNoEntry: false })
  if (!stat) return found
  if (stat.isFile()) {
    found.push(relative)
    return found
  }
  if (!stat.isDirectory()) return found
  for (const name of fs.readdirSync(full).sort()) {
    if (name.startsWith('.')) continue
    inputFiles(root, path.posix.join(relative, name), found)
  }
  return found
}

/** SHA-256 over the build's inputs: each file's path and content, in a fixed order. */
export function sourcesHash(root = ROOT) {
  const hash = createHash('sha256')
  for (const input of BUILD_INPUTS) {
    for (const file of inputFiles(root, input, [])) {
      const bytes = fs.readFileSync(path.join(root, file))
      hash.update(`${file}\0${bytes.length}\0`)
      hash.update(bytes)
    }
  }
  return hash.digest('hex')
}

export function readStamp(root = ROOT) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'dist', STAMP_FILE), 'utf8'))
  } catch {
    return undefined
  }
}

/** `fresh` (dist matches the sources, or there are no sources), `stale` or `missing`. */
export function distState(root = ROOT) {
  const stamp = readStamp(root)
  if (!stamp) return 'missing'
  if (!fs.existsSync(path.join(root, 'src'))) return 'fresh'
  return stamp.sources === sourcesHash(root) ? 'fresh' : 'stale'
}

function tsxAvailable() {
  try {
    import.meta.resolve('tsx/esm/api')
    return true
  } catch {
    return false
  }
}

/** Runs `entry` (e.g. 'server', 'cli/main') from dist/ or from src/ as described above. */
export async function launch(entry) {
  const forced = process.env.CREDPORT_RUN
  if (forced && forced !== 'dist' && forced !== 'src') {
    process.stderr.write(`credport: CREDPORT_RUN must be "dist" or "src" (got "${forced}")\n`)
    process.exit(78)
  }
  const compiled = path.join(ROOT, 'dist', `${entry}.js`)
  const state = forced ? undefined : distState()
  let useDist = forced === 'dist' || state === 'fresh'
  if (!useDist && !forced && state === 'stale' && !tsxAvailable()) {
    // Sources edited where only the runtime dependencies are installed: the build is all there is.
    process.stderr.write('credport: dist/ is older than src/ and tsx is not installed: running dist/ anyway\n')
    useDist = true
  }
  if (useDist) {
    if (!fs.existsSync(compiled)) {
      process.stderr.write(`credport: ${path.relative(ROOT, compiled)} does not exist: run npm run build\n`)
      process.exit(1)
    }
    await import(pathToFileURL(compiled).href)
    return
  }
  if (!tsxAvailable()) {
    process.stderr.write('credport: no build in dist/ and tsx is not installed: run npm ci, or npm run build\n')
    process.exit(1)
  }
  const { register } = await import('tsx/esm/api')
  register()
  await import(pathToFileURL(path.join(ROOT, 'src', `${entry}.ts`)).href)
}
