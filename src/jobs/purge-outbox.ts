import type { Deps } from '../deps.js'
import { OUTBOX_RETENTION_MS, outboxDirOf, purgeOutbox } from '../mail/mailer.js'

/**
 * One pass of the outbox purge: up to `limit` mails older than a day (they hold email addresses).
 * Nothing to do when mail goes out by SMTP.
 */
export async function perform(
  deps: Pick<Deps, 'clock' | 'mailer'> & { config: Pick<Deps['config'], 'dataDir'> },
  options: { limit: number },
): Promise<number> {
  if (deps.mailer.kind !== 'outbox') return 0
  const cutoff = new Date(deps.clock.now().getTime() - OUTBOX_RETENTION_MS)
  return purgeOutbox(outboxDirOf(deps.config.dataDir), cutoff, options.limit)
}
