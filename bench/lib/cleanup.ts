// Everything the benchmark starts (servers, the PostgreSQL cluster, temp folders) is tracked
// here, so that it is stopped at the end, on failure, and on Ctrl-C/SIGTERM.
import { log } from './log.js'

export interface Resource {
  name: string
  /** Graceful stop (SIGTERM, wait, then SIGKILL). */
  stop: () => Promise<void>
  /** Synchronous last resort, for process exit or a second Ctrl-C. */
  kill: () => void
  /** Whether something of it may still be running (checked after stopping). */
  alive?: () => boolean
  /** What is still running, for the warning. */
  describe?: () => string
}

const resources: Resource[] = []
const everTracked: Resource[] = []
let stopping: Promise<void> | undefined

/** Registers a resource; returns a function that forgets it (after it was stopped by its owner). */
export function track(resource: Resource): () => void {
  resources.push(resource)
  everTracked.push(resource)
  return () => {
    const i = resources.indexOf(resource)
    if (i >= 0) resources.splice(i, 1)
  }
}

/** True once stopping has begun (e.g. after Ctrl-C): start no new measurement. */
export function stopRequested(): boolean {
  return stopping !== undefined
}

/** Stops every resource, newest first. Idempotent. */
export function stopAll(): Promise<void> {
  stopping ??= (async () => {
    while (resources.length > 0) {
      const resource = resources.pop()!
      try {
        await resource.stop()
      } catch (error) {
        log(`could not stop ${resource.name} cleanly (${String(error)}), killing it`)
        resource.kill()
      }
      if (resource.alive?.()) {
        log(
          `WARNING: ${resource.name} still running after stop, killing it${resource.describe ? `:\n${resource.describe()}` : ''}`,
        )
        resource.kill()
      }
    }
  })()
  return stopping
}

/** Names of everything ever started that is still running (call after stopAll). */
export function leftovers(): { checked: number; running: string[] } {
  const checkable = everTracked.filter((r) => r.alive)
  return { checked: checkable.length, running: checkable.filter((r) => r.alive!()).map((r) => r.name) }
}

function killAllSync(): void {
  while (resources.length > 0) {
    try {
      resources.pop()!.kill()
    } catch {
      // best effort
    }
  }
}

let interruptedBy: NodeJS.Signals | undefined

/** The signal that interrupted the benchmark, if any. */
export function interrupted(): NodeJS.Signals | undefined {
  return interruptedBy
}

const DUPLICATE_SIGNAL_MS = 2_000
const signalExitCode: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }

/**
 * On the first SIGINT/SIGTERM/SIGHUP: stop everything, then exit. On a second one (2 s later or
 * more): kill at once. Child processes run in their own process groups, so a terminal's Ctrl-C reaches only
 * us and every child is stopped exactly once, from here.
 */
export function installSignalHandlers(): void {
  let received: string | undefined
  let receivedAt = 0
  const onSignal = (signal: NodeJS.Signals) => {
    // A terminal Ctrl-C reaches us directly and again through bench/run.ts: count it once.
    if (received && Date.now() - receivedAt < DUPLICATE_SIGNAL_MS) return
    if (received) {
      log(`${signal} again: killing everything`)
      killAllSync()
      process.exit(signalExitCode[received] ?? 1)
    }
    received = signal
    interruptedBy = signal
    receivedAt = Date.now()
    log(`${signal} received: stopping servers…`)
    void stopAll().finally(() => process.exit(signalExitCode[signal] ?? 1))
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal)
  process.on('exit', killAllSync)
}
