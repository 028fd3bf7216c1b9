import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The child's file beside this one, with this module's extension (.ts from sources, .js compiled). */
const EXTENSION = path.extname(fileURLToPath(import.meta.url))
const CREATE_FILE = fileURLToPath(new URL(`./pglite-create${EXTENSION}`, import.meta.url))
/** What the child may say on stderr before it fails (kept for the error). */
const STDERR_LIMIT = 16 * 1024

/** Whether `dataDir` holds no PostgreSQL database yet. */
export function holdsNoDatabase(dataDir: string): boolean {
  return !fs.existsSync(path.join(dataDir, 'PG_VERSION'))
}

/**
 * Creates (from the template, or by initdb) and migrates the PGlite database in `dataDir` in a
 * short-lived Node process (pglite-create.ts), whose memory returns to the system when it exits. `nodeArgs` go to that process first (V8 flags). Rejects with the child's stderr when it fails.
 */
export function migrateInChildProcess(
  dataDir: string,
  migrationsFolder: string,
  startParams: string[],
  nodeArgs: string[],
): Promise<void> {
  // From the sources the child needs tsx's loader, resolved from here (not from the current folder).
  const loader = EXTENSION === '.ts' ? [`--import=${import.meta.resolve('tsx')}`] : []
  const child = spawn(
    process.execPath,
    [...nodeArgs, ...loader, CREATE_FILE, dataDir, migrationsFolder, JSON.stringify(startParams)],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_LIMIT)
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) resolve()
      else
        reject(new Error(`creating the database in ${dataDir} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`))
    })
  })
}
