// `npm run db:pglite-template`: makes src/db/pglite-template/initdb-pglite-<version>.tar.br, the data
// folder PGlite's initdb creates, with the installed @electric-sql/pglite (see src/db/pglite-template.ts).
// Run it after upgrading PGlite (test/db/pglite-template.test.ts fails until then), commit the new
// file and delete the old one. PGlite initialises the folder and shuts down cleanly; nothing of
// Credport's is in it (the server migrates it and creates its secrets at its first start).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { installedPgliteVersion, TEMPLATE_FOLDER, tarFolder, templateFile } from '../src/db/pglite-template.js'

const version = installedPgliteVersion()
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-pglite-template-'))
try {
  const dataDir = path.join(work, 'pglite')
  const pglite = await PGlite.create({ dataDir })
  await pglite.close()
  const tar = tarFolder(dataDir)
  // Brotli's best (a minute here): 40 MB of data folder in 1.3 MB, unpacked in a fifth of a second.
  const archive = zlib.brotliCompressSync(tar, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: tar.length,
    },
  })
  fs.mkdirSync(TEMPLATE_FOLDER, { recursive: true })
  for (const old of fs.readdirSync(TEMPLATE_FOLDER)) fs.rmSync(path.join(TEMPLATE_FOLDER, old))
  fs.writeFileSync(templateFile(version), archive)
  console.log(
    `${path.relative(process.cwd(), templateFile(version))}: ${(archive.length / 1024 / 1024).toFixed(1)} MiB`,
  )
} finally {
  fs.rmSync(work, { recursive: true, force: true })
}
