import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { sourcesHash } from '../../bin/launch.js'
import { PROJECT_ROOT } from './server-process.js'

/**
 * The SDK as `npm run build:client` compiles it (tsc -p tsconfig.client.json), for the tests of
 * the package (client/package, client/browser, client/runtimes): compiled once for the inputs it
 * is compiled from (the sources, the tsconfig files, TypeScript's version: 7 s of CPU each time)
 * into node_modules/.cache/credport/client/<their hash>/, which the tests read or copy. A file
 * that finds another compiling the same inputs waits for it (a lock file), so a run compiles it
 * once, and a run after a run without changes not at all.
 */

const run = promisify(execFile)
const TSC = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc')
const CACHE = path.join(PROJECT_ROOT, 'node_modules/.cache/credport/client')
const STALE_LOCK_MS = 5 * 60_000

function clientInputsHash(): string {
  const typescript = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'node_modules/typescript/package.json'), 'utf8'),
  )
  return createHash('sha256')
    .update(`${sourcesHash(PROJECT_ROOT)}\0${typescript.version}\0`)
    .update(fs.readFileSync(path.join(PROJECT_ROOT, 'tsconfig.client.json')))
    .digest('hex')
    .slice(0, 32)
}

/** The folder of the compiled SDK (what tsconfig.client.json's outDir, dist/client/, would hold). */
export async function compiledClient(): Promise<string> {
  const hash = clientInputsHash()
  const dir = path.join(CACHE, hash)
  const lock = `${dir}.lock`
  fs.mkdirSync(CACHE, { recursive: true })
  for (;;) {
    if (fs.existsSync(dir)) return dir
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' })
      break
    } catch {
      // Another file compiles it: wait, unless its lock is left over from a killed process.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0)
      if (age > STALE_LOCK_MS) fs.rmSync(lock, { force: true })
      else await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  const staging = `${dir}.tmp-${process.pid}`
  try {
    await run(process.execPath, [TSC, '-p', 'tsconfig.client.json', '--outDir', staging], { cwd: PROJECT_ROOT })
    fs.renameSync(staging, dir)
    // Only the current compile is kept.
    for (const name of fs.readdirSync(CACHE)) {
      if (name !== hash && !name.endsWith('.lock') && !name.includes('.tmp-')) {
        fs.rmSync(path.join(CACHE, name), { recursive: true, force: true })
      }
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true })
    fs.rmSync(lock, { force: true })
  }
  return dir
}
