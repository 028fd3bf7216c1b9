// A short-lived process that creates and migrates a new PGlite data folder, run by openPglite
// (client.ts) on the first start: `node [--import tsx] pglite-create.(ts|js) <dataDir> <migrationsFolder> <startParams JSON>`.
// It unpacks the template (pglite-template.ts; without one for the installed PGlite, PGlite runs
// initdb), then migrates.
//
// Why a process: unpacking (Brotli's 16 MiB window, 40 MB of files) and the first migration grow
// a process by ~130 MiB that the allocator keeps; when this process exits, all of it goes back to
// the system, and the server then opens a folder that is ready, as on a restart. Only PGlite and
// drizzle's migrator are loaded here.
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import { createFromTemplate } from './pglite-template.js'

const [dataDir, migrationsFolder, startParams] = process.argv.slice(2)
if (!dataDir || !migrationsFolder || !startParams) {
  process.stderr.write('usage: pglite-create <dataDir> <migrationsFolder> <startParams JSON>\n')
  process.exit(64)
}
try {
  await createFromTemplate(dataDir)
  const client = new PGlite({ dataDir, startParams: JSON.parse(startParams) as string[] })
  try {
    await client.waitReady
    await migrate(drizzle(client), { migrationsFolder })
  } finally {
    await client.close()
  }
} catch (error) {
  // One line for the server's start-up error (an uncaught error would print minified source).
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}
