// The server's process, loaded by server.ts (the entry) once it holds V8's young generation.
import { buildApp, loggerOptions } from './app.js'
import { loadConfig, type Config } from './config.js'
import { createDeps } from './deps.js'
import { logOutput, logsAsText } from './log-output.js'
import { deliverDemoCredentials, ensureDemoPartner } from './modules/admin/index.js'
import { VERSION } from './version.js'
import { startSchedule, type RunningJobs } from './jobs/runner.js'
import { JOB_SCHEDULE } from './jobs/schedule.js'
import { assertPortFree, describeStartupFailure } from './startup-failure.js'
import { releaseWhenBusy } from './lib/young-generation.js'

/** Process entry: configuration, dependencies, HTTP, graceful shutdown. */
async function main(config: Config): Promise<void> {
  const terminal = Boolean(process.stdout.isTTY)
  // A port in use is told at once, not after the database has been opened (or created).
  await assertPortFree(config.port, config.host)
  const deps = await createDeps(config)
  const app = await buildApp(deps, {
    logger: loggerOptions(config.logLevel, await logOutput(config.logFormat, terminal)),
  })

  const demo = await ensureDemoPartner(deps)
  // Written (when not for a terminal) at once: the partner exists now, and its secret nowhere else.
  const demoNotice =
    demo &&
    deliverDemoCredentials(demo, {
      publicUrl: config.publicUrl,
      dataDir: config.dataDir,
      terminal,
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
  releaseWhenBusy()
  jobs = startSchedule(JOB_SCHEDULE, deps, app.log.child({ component: 'jobs' }))
  app.log.info(
    {
      // The same as the message, for log collectors (left out of the readable text).
      details: {
        version: VERSION,
        address,
        public_url: config.publicUrl,
        database: deps.database.kind,
        database_location: deps.database.location,
        data_dir: config.dataDir,
        admin_token: deps.adminTokenSource,
      },
    },
    `credport ${VERSION} listening on ${address} (public URL ${config.publicUrl}), database ${deps.database.kind} at ${deps.database.location}, data in ${config.dataDir}`,
  )
  if (!demoNotice) return
  // On a terminal the notice holds the secret: printed, never logged. Readable logs are written
  // synchronously, so the banner follows the start line. Off a terminal the notice only names the
  // file; with JSON logs (written asynchronously, read by collectors) it is a log line after it.
  if (terminal || logsAsText(config.logFormat, terminal)) process.stdout.write(demoNotice)
  else app.log.info(demoNotice.trim())
}

/** Ends the process with one line saying why it could not start (exit codes: startup-failure.ts). */
function failToStart(error: unknown, config?: Config): never {
  const context = { port: config?.port ?? 0, host: config?.host ?? '', databaseUrl: config?.databaseUrl }
  const failure = describeStartupFailure(error, context)
  process.stderr.write(`credport: ${failure.message}\n`)
  process.exit(failure.exitCode)
}

// Everything this process creates is its user's alone (folders 0700, files 0600): the data
// folder holds the database, the documents and secrets. Set before anything is created.
process.umask(0o077)
let config: Config
try {
  config = loadConfig()
} catch (error) {
  failToStart(error)
}
main(config).catch((error) => failToStart(error, config))
