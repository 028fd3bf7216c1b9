import fs from 'node:fs'
import path from 'node:path'

/** Permission bits of the group and of others. */
const GROUP_AND_OTHERS = 0o077

/** A data folder (or something in it) that this process cannot make private to its user. */
export class PrivateFolderError extends Error {
  constructor(
    readonly folder: string,
    detail: string,
  ) {
    super(`the data folder ${folder} cannot be made private to this user: ${detail}`)
    this.name = 'PrivateFolderError'
  }
}

/**
 * Makes `folder` (created, mode 0700, when missing) and everything in it private to the user this
 * process runs as: every group and other permission bit is removed, so folders end 0700 and files
 * 0600. The folder holds the database (whose write-ahead log holds the token signing key), the
 * documents and the admin token; PGlite creates its files 0666 whatever the umask, so this runs
 * again once the database is open. Symbolic links inside are neither changed nor followed.
 * Returns how many entries it tightened; throws PrivateFolderError when it cannot (another user's
 * file, a read-only file system). Windows has no such permission bits: there it is only created.
 */
export function makePrivate(folder: string): number {
  const fail = (file: string, error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    throw new PrivateFolderError(
      folder,
      `${file} (${code}); run Credport as the folder's owner, or give it to that user and \`chmod -R go-rwx\` it`,
    )
  }
  try {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new PrivateFolderError(folder, 'it is not a folder')
    fail(folder, error)
  }
  if (process.platform === 'win32') return 0
  let tightened = 0
  const tighten = (file: string, stat: fs.Stats) => {
    if ((stat.mode & GROUP_AND_OTHERS) === 0) return
    try {
      fs.chmodSync(file, stat.mode & 0o7777 & ~GROUP_AND_OTHERS)
      tightened++
    } catch (error) {
      fail(file, error)
    }
  }
  // The folder itself may be a symbolic link to the real one (which is then what is tightened).
  const root = statOrNull(folder, fs.statSync, fail) ?? fail(folder, new Error('vanished'))
  if (!root.isDirectory()) throw new PrivateFolderError(folder, 'it is not a folder')
  tighten(folder, root)
  const pending = [folder]
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    let names: string[]
    try {
      names = fs.readdirSync(dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      return fail(dir, error)
    }
    for (const name of names) {
      const file = path.join(dir, name)
      const stat = statOrNull(file, fs.lstatSync, fail)
      if (!stat || stat.isSymbolicLink()) continue
      tighten(file, stat)
      if (stat.isDirectory()) pending.push(file)
    }
  }
  return tightened
}

/** The entry's status, or null when it is gone (removed meanwhile). */
function statOrNull(
  file: string,
  stat: (file: string) => fs.Stats,
  fail: (file: string, error: unknown) => never,
): fs.Stats | null {
  try {
    return stat(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    return fail(file, error)
  }
}
