/** A periodic job: `perform` runs one bounded pass and returns how many things it handled. */
export interface Job {
  name: string
  intervalMs: number
  perform: () => Promise<number>
}

/** Where the runner reports failed passes (pino / Fastify's logger fit). */
export interface RunnerLog {
  error(object: object, message: string): void
}

/** Where jobs log (pino / Fastify's logger fit). Never URLs, tokens, names or emails. */
export interface JobLog extends RunnerLog {
  info(object: object, message: string): void
  warn(object: object, message: string): void
}

/** What every job module exports: one bounded pass, returning how many things it handled. */
export type Perform<D> = (deps: D, options: { limit: number; log: JobLog }) => Promise<number>

/** An entry of the schedule: a job's `perform`, how often it runs and how much one pass takes. */
export interface ScheduledJob<D> {
  name: string
  intervalMs: number
  /** Most things one pass handles. */
  limit: number
  perform: Perform<D>
}

/** Runs every job of `schedule` with `deps` (as `startJobs`), each logging through `log`. */
export function startSchedule<D>(schedule: readonly ScheduledJob<D>[], deps: D, log: JobLog): RunningJobs {
  return startJobs(
    schedule.map((job) => ({
      name: job.name,
      intervalMs: job.intervalMs,
      perform: () => job.perform(deps, { limit: job.limit, log }),
    })),
    log,
  )
}

/** Running jobs; `stop` lets a pass in progress finish and starts no new one. */
export interface RunningJobs {
  stop(): Promise<void>
}

/**
 * Runs each job periodically: never two passes of one job at once; a pass that handled something
 * is followed at once by another (a backlog drains quickly), an idle or failed pass waits
 * `intervalMs`. Errors are logged, never thrown. Timers do not keep the process alive.
 */
export function startJobs(jobs: readonly Job[], log: RunnerLog): RunningJobs {
  let stopped = false
  const timers = new Map<string, NodeJS.Timeout>()
  const running = new Map<string, Promise<void>>()

  const schedule = (job: Job, delayMs: number) => {
    if (stopped) return
    const timer = setTimeout(() => {
      timers.delete(job.name)
      const current = pass(job)
      running.set(job.name, current)
      void current.finally(() => {
        if (running.get(job.name) === current) running.delete(job.name)
      })
    }, delayMs)
    timer.unref()
    timers.set(job.name, timer)
  }

  const pass = async (job: Job): Promise<void> => {
    let next = job.intervalMs
    try {
      const handled = await job.perform()
      if (handled > 0) next = 0
    } catch (error) {
      log.error({ err: error, job: job.name }, `job ${job.name} failed`)
    }
    schedule(job, next)
  }

  for (const job of jobs) schedule(job, 0)

  return {
    async stop() {
      stopped = true
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      await Promise.all([...running.values()])
    },
  }
}
