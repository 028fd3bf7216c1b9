import path from 'node:path'
import type { Command } from 'commander'
import type { MigrationProgress } from '../storage/migrate-blobs.js'
import { CliError, print } from './partner-commands.js'

/** `[=====     ] 12/40 blobs, 3.2 MiB copied, 5 already there` */
function progressLine(p: MigrationProgress): string {
  const width = 30
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width)
  const mib = (p.bytes / 1024 / 1024).toFixed(1)
  return `[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${p.done}/${p.total} blobs, ${mib} MiB copied, ${p.skipped} already there`
}

/** `credport blobs migrate --to s3`: runs beside the data folder, with the server's environment. */
export function addBlobCommands(program: Command): void {
  const blobs = program.command('blobs').description('move the document store (run where DATA_DIR is)')
  blobs
    .command('migrate')
    .description(
      'copy the filesystem blobs of DATA_DIR into the S3 bucket of the S3_* variables, verifying each SHA-256; resumable (run it again after an interruption); then set BLOB_STORE=s3',
    )
    .requiredOption('--to <store>', 'the target store: s3')
    .action(async (options: { to: string }) => {
      if (options.to !== 's3') throw new CliError(`--to ${options.to}: the only target is s3`, 2)
      // Loaded by this command alone: the others start without the server's configuration and stores.
      const [{ loadConfig }, { migrateBlobs }] = await Promise.all([
        import('../config.js'),
        import('../storage/migrate-blobs.js'),
      ])
      const config = loadConfig({ ...process.env, BLOB_STORE: 's3' })
      if (config.blobStore.kind !== 's3') throw new CliError('BLOB_STORE=s3 settings are missing', 2)
      const { openS3BlobStore } = await import('../storage/s3-blob-store.js')
      const target = await openS3BlobStore(config.blobStore, path.join(config.dataDir, 's3-spool'))
      const tty = process.stderr.isTTY
      let lastLine = 0
      try {
        await target.check()
        const result = await migrateBlobs(path.join(config.dataDir, 'blobs'), target, (p) => {
          // A bar redrawn in place on a terminal; a line every 5 s (and the last) otherwise.
          if (tty) process.stderr.write(`\r${progressLine(p)}`)
          else if (p.done === p.total || Date.now() - lastLine > 5000) {
            lastLine = Date.now()
            process.stderr.write(`${progressLine(p)}\n`)
          }
        })
        if (tty) process.stderr.write('\n')
        print(
          `${result.copied} blobs copied (${result.bytes} bytes), ${result.skipped} already in s3://${config.blobStore.bucket}/${config.blobStore.prefix}, every SHA-256 verified`,
        )
      } finally {
        await target.close()
      }
    })
}
