import { buildApp, loggerOptions } from './app.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createDeps } from './deps.js'
import { deliverDemoCredentials, ensureDemoPartner } from './modules/admin/index.js'
import { VERSION } from './version.js'
import { startSchedule, type RunningJobs } from './jobs/runner.js'
import { JOB_SCHEDULE } from './jobs/schedule.js'
import { PrivateFolderError } from './storage/private-folder.js'
import { WebhookSecretKeyMismatchError } from './modules/webhooks/index.js'

function readConfig(): Config {
  try {
    return loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`credport: ${error.message}\n`)
      process.exit(78) // EX_CONFIG
    }
    throw error
  }
}

/** Process entry: configuration, dependencies, HTTP, graceful shutdown. */
async function main(): Promise<void> {
  // Everything this process creates is its user's alone (folders 0700, files 0600): the data
  // folder holds the database, the documents and secrets. Set before anything is created.
  process.umask(0o077)
  const config = readConfig()
  const deps = await createDeps(config)
  const app = await buildApp(deps, { logger: loggerOptions(config.logLevel) })

  const demo = await ensureDemoPartner(deps)
  // Written (when not for a terminal) at once: the partner exists now, and its secret nowhere else.
  const demoNotice =
    demo &&
    deliverDemoCredentials(demo, {
      publicUrl: config.publicUrl,
      dataDir: config.dataDir,
      terminal: Boolean(process.stdout.isTTY),
    })
  let jobs: RunningJobs | undefined

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down: draining HTTP, stopping jobs, then closing the database')
    const timer = setTimeout(() => {
      app.log.error('shutdown took longer than 15 s, exiting')
      process.exit(1)
    }, 15_000)
    timer.unref()
    try {
      await app.close()
      await jobs?.stop()
      await deps.close()
      process.exit(0)
    } catch (error) {
      app.log.error({ err: error }, 'error during shutdown')
      process.exit(1)
    }
  }
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  process.once('SIGINT', () => void shutdown('SIGINT'))

  const address = await app.listen({ port: config.port, host: config.host })
  jobs = startSchedule(JOB_SCHEDULE, deps, app.log.child({ component: 'jobs' }))
  app.log.info(
    {
      version: VERSION,
      address,
      public_url: config.publicUrl,
      database: deps.database.kind,
      database_location: deps.database.location,
      data_dir: config.dataDir,
      admin_token: deps.adminTokenSource,
    },
    `credport ${VERSION} listening on ${address} (public URL ${config.publicUrl}), database ${deps.database.kind} at ${deps.database.location}, data in ${config.dataDir}`,
  )
  if (demoNotice) process.stdout.write(demoNotice)
}

main().catch((error) => {
  if (error instanceof PrivateFolderError) {
    process.stderr.write(`credport: ${error.message}\n`)
    process.exit(77) // EX_NOPERM
  }
  if (error instanceof WebhookSecretKeyMismatchError) {
    process.stderr.write(`credport: ${error.message}\n`)
    process.exit(78) // EX_CONFIG
  }
  process.stderr.write(
    `credport: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exit(1)
})
