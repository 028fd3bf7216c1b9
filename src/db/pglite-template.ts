// A pre-initialised PGlite data folder, shipped in the repository: what PGlite's initdb creates
// (no Credport table, no secret: the migrations and the server's secrets come after), as a tar
// compressed with Brotli (1.3 MB; gzip made 4.3) made by `npm run db:pglite-template` with the installed PGlite and named after its version.
//
// Why: PGlite's initdb is most of a first start's time and memory (seconds of CPU; a second
// PGlite instance, initdb's own WebAssembly memory and tar copies of the folder, ~800 MiB of peak
// RSS that the process keeps). Unpacking the same files takes a tenth of a second, and the first
// start then costs what a restart costs. A PGlite of another version (no template of its name)
// runs initdb itself, as before.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

export const TEMPLATE_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pglite-template')

/** The version of the installed @electric-sql/pglite (its data folders are made for its PostgreSQL). */
export function installedPgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  // …/node_modules/@electric-sql/pglite/dist/index.cjs → …/@electric-sql/pglite/package.json
  const manifest = path.join(path.dirname(entry), '..', 'package.json')
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version
}

/** The template made with PGlite `version`. */
export function templateFile(version = installedPgliteVersion()): string {
  return path.join(TEMPLATE_FOLDER, `initdb-pglite-${version}.tar.br`)
}

const BLOCK = 512

/** A ustar archive of every folder and regular file under `dir` (paths relative to it, sorted). */
export function tarFolder(dir: string): Buffer {
  const parts: Buffer[] = []
  const walk = (relative: string) => {
    for (const name of fs.readdirSync(path.join(dir, relative)).sort()) {
      const entry = relative ? `${relative}/${name}` : name
      const stat = fs.lstatSync(path.join(dir, entry))
      if (stat.isDirectory()) {
        parts.push(header(`${entry}/`, 0o700, 0, '5'))
        walk(entry)
      } else if (stat.isFile()) {
        const bytes = fs.readFileSync(path.join(dir, entry))
        parts.push(header(entry, 0o600, bytes.length, '0'), bytes, Buffer.alloc(padding(bytes.length)))
      } else {
        throw new Error(`${entry}: only folders and regular files can be archived`)
      }
    }
  }
  walk('')
  parts.push(Buffer.alloc(2 * BLOCK))
  return Buffer.concat(parts)
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK
}

function header(name: string, mode: number, size: number, type: '0' | '5'): Buffer {
  if (Buffer.byteLength(name) > 99) throw new Error(`${name}: a path longer than 99 bytes`)
  const block = Buffer.alloc(BLOCK)
  const octal = (value: number, offset: number, width: number) =>
    block.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, 'ascii')
  block.write(name, 0, 'utf8')
  octal(mode, 100, 8)
  octal(0, 108, 8) // uid
  octal(0, 116, 8) // gid
  octal(size, 124, 12)
  octal(0, 136, 12) // mtime: a fixed date, so that the same files make the same archive
  block.write(type, 156, 'ascii')
  block.write('ustar\0' + '00', 257, 'ascii')
  block.fill(' ', 148, 156) // the checksum is computed with its own field as spaces
  let sum = 0
  for (const byte of block) sum += byte
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii')
  return block
}

/**
 * Writes the folders and regular files of a ustar archive (as tarFolder makes them) under `dir`,
 * from its chunks as they come: the archive is never whole in memory (40 MB for the template,
 * which the allocator would keep). Returns how many files it wrote.
 */
export async function untar(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, dir: string): Promise<number> {
  const root = path.resolve(dir)
  let pending = Buffer.alloc(0)
  /** The file being written, and how many of its bytes (then of its padding) are still to come. */
  let file: { fd: number; left: number; padding: number } | undefined
  let files = 0
  let ended = false
  const take = (): boolean => {
    if (file) {
      const data = pending.subarray(0, Math.min(file.left, pending.length))
      if (data.length > 0) fs.writeSync(file.fd, data)
      file.left -= data.length
      pending = pending.subarray(data.length)
      if (file.left > 0) return false
      const skipped = Math.min(file.padding, pending.length)
      file.padding -= skipped
      pending = pending.subarray(skipped)
      if (file.padding > 0) return false
      fs.closeSync(file.fd)
      file = undefined
      return true
    }
    if (pending.length < BLOCK) return false
    const block = pending.subarray(0, BLOCK)
    pending = pending.subarray(BLOCK)
    if (block.every((byte) => byte === 0)) {
      ended = true
      return false
    }
    const field = (start: number, width: number) => block.toString('utf8', start, start + width).replace(/\0.*$/s, '')
    const name = field(0, 100)
    const size = Number.parseInt(field(124, 12).trim() || '0', 8)
    const type = field(156, 1) || '0'
    const target = path.resolve(root, name)
    if (!target.startsWith(root + path.sep)) throw new Error(`${name}: outside the folder`)
    if (type === '5') {
      fs.mkdirSync(target, { recursive: true, mode: 0o700 })
    } else if (type === '0') {
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 })
      file = { fd: fs.openSync(target, 'w', 0o600), left: size, padding: padding(size) }
      files++
    } else {
      throw new Error(`${name}: an entry of type ${type} (only folders and regular files)`)
    }
    return true
  }
  try {
    for await (const chunk of chunks) {
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : Buffer.from(chunk)
      while (!ended && take()) {}
      if (ended) break
    }
  } finally {
    if (file) fs.closeSync(file.fd)
  }
  if (!ended) throw new Error('the archive ends before its end marker')
  return files
}

/**
 * Creates the data folder `dataDir` from the template of the installed PGlite, when there is one
 * and the folder does not exist yet (or is empty). Unpacked beside it and renamed into place: a
 * start cut short leaves no half-made database. Returns whether it did.
 */
export async function createFromTemplate(dataDir: string): Promise<boolean> {
  const file = templateFile()
  if (!fs.existsSync(file)) return false
  let existing: string[] | undefined
  try {
    existing = fs.readdirSync(dataDir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  if (existing && existing.length > 0) return false
  const staging = `${dataDir}.creating-${process.pid}`
  fs.rmSync(staging, { recursive: true, force: true })
  try {
    await untar(fs.createReadStream(file).pipe(zlib.createBrotliDecompress()), staging)
    if (existing) fs.rmdirSync(dataDir)
    fs.renameSync(staging, dataDir)
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true })
    throw error
  }
  return true
}
