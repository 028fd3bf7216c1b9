import type { FastifyBaseLogger } from 'fastify'
import type { Deps } from './deps.js'
import { perform as fetchDocuments } from './jobs/fetch-documents.js'
import { startJobs, type RunningJobs } from './jobs/runner.js'
import { OUTBOX_RETENTION_MS, outboxDirOf, purgeOutbox } from './mail/mailer.js'
import { purgeExpiredSessions } from './modules/holder/auth/index.js'
import { expireSubmissions } from './modules/submissions/index.js'
import { purgeExpiredIdempotencyKeys } from './modules/submissions/submissions.repo.js'

/**
 * The pollers every server instance runs (safe with several instances on one PostgreSQL: each
 * claims rows with `FOR UPDATE SKIP LOCKED` or guarded updates): document fetching, submission
 * expiry (every minute, in bounded batches), and the purges of what has no use any more: ended
 * holder sessions, expired Idempotency-Keys and old mail in the outbox.
 */
export function startBackgroundJobs(deps: Deps, log: FastifyBaseLogger): RunningJobs {
  const jobLog = log.child({ component: 'jobs' })
  return startJobs(
    [
      {
        name: 'fetch-documents',
        intervalMs: 5_000,
        // 5 claims × the 15 s fetch timeout stays well inside the 2-minute claim lease.
        perform: () => fetchDocuments(deps, { limit: 5, log: jobLog }),
      },
      {
        name: 'expire-submissions',
        intervalMs: 60_000,
        perform: async () => {
          const expired = await expireSubmissions(deps, { limit: 100 })
          if (expired > 0) jobLog.info({ expired }, 'submissions expired')
          return expired
        },
      },
      { name: 'purge-sessions', intervalMs: 10 * 60_000, perform: () => purgeExpiredSessions(deps, { limit: 500 }) },
      {
        name: 'purge-idempotency-keys',
        intervalMs: 10 * 60_000,
        perform: () => purgeExpiredIdempotencyKeys(deps.db, deps.clock.now(), 1000),
      },
      ...(deps.mailer.kind === 'outbox'
        ? [
            {
              name: 'purge-outbox',
              intervalMs: 10 * 60_000,
              perform: () =>
                purgeOutbox(
                  outboxDirOf(deps.config.dataDir),
                  new Date(deps.clock.now().getTime() - OUTBOX_RETENTION_MS),
                  500,
                ),
            },
          ]
        : []),
    ],
    jobLog,
  )
}
