import { and, eq, sql } from 'drizzle-orm'
import type { Db, Executor } from '../db/client.js'
import { blobDeletions } from '../db/schema.js'
import type { Clock } from '../lib/clock.js'
import type { BlobStore } from './blob-store.js'

/*
 * The one owner of blob deletes: a durable outbox (`blob_deletions`). Whatever unreferences blobs
 * (an expiry, a decline, a withdrawal, a holder's erasure, a rejected or lost upload) records
 * their keys in its own transaction (`scheduleBlobDeletions`), and deletes them right after the
 * commit (`deleteScheduledBlobs`): a key leaves the table when the store confirms the delete. A
 * store that refuses or does not answer leaves the row, with a backoff, for the job
 * (`retryBlobDeletions`, src/jobs/retry-blob-deletions.ts): a delete is never forgotten.
 */

export interface BlobDeletionDeps {
  db: Db
  blobs: Pick<BlobStore, 'delete'>
  clock: Clock
}

/**
 * The job leaves a fresh row alone this long: the purge that wrote it deletes it right after its
 * commit. Only a process that stopped in between (or a failed try, sooner: see `retryDelayMs`)
 * leaves it to the job.
 */
export const FIRST_TRY_GRACE_MS = 5 * 60_000

/** A claim keeps other instances off a row this long: more than one delete can take. */
const CLAIM_LEASE_MS = 5 * 60_000

/** The wait after the n-th failed attempt: 1 min, doubling, at most 1 h. Never given up. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3600_000)
}

/** A failure's class for `last_error`: an error code (`ECONNREFUSED`, `EACCES`) or name, never a message. */
export function errorClassOf(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown }
  const value = typeof code === 'string' && code ? code : typeof name === 'string' && name ? name : 'Error'
  return value.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 64) || 'Error'
}

/**
 * Records `keys` to delete, inside the transaction that unreferences them (so that the record
 * commits exactly when the blobs become orphans). A key recorded already is left as it is.
 */
export async function scheduleBlobDeletions(tx: Executor, keys: readonly string[], now: Date): Promise<void> {
  const unique = [...new Set(keys)]
  if (unique.length === 0) return
  const nextAttemptAt = new Date(now.getTime() + FIRST_TRY_GRACE_MS)
  await tx
    .insert(blobDeletions)
    .values(unique.map((key) => ({ key, nextAttemptAt, createdAt: now })))
    .onConflictDoNothing()
}

/**
 * Deletes recorded blobs after the commit that recorded them: each row goes when its blob did;
 * a failure is counted on the row, which the job retries after `retryDelayMs`. Never throws for
 * the store's failures (the transition it follows has happened).
 */
export async function deleteScheduledBlobs(deps: BlobDeletionDeps, keys: readonly string[]): Promise<number> {
  let deleted = 0
  for (const key of new Set(keys)) if (await attempt(deps, key, null)) deleted += 1
  return deleted
}

/**
 * Deletes blobs no transaction recorded (a write that failed or lost a race left them): records
 * them first, so a failure is retried as any other; when even the database does not answer
 * (likely what failed the write), the store is still tried once.
 */
export async function discardBlobs(deps: BlobDeletionDeps, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return
  try {
    await scheduleBlobDeletions(deps.db, keys, deps.clock.now())
  } catch {
    for (const key of keys) await deps.blobs.delete(key).catch(() => {})
    return
  }
  await deleteScheduledBlobs(deps, keys)
}

/**
 * One attempt at one recorded key. `claimedAttempts`: the job's claim it acts under (the row is
 * changed only while it is still that claim), or null for the try right after the commit.
 * Returns whether the blob was deleted.
 */
async function attempt(deps: BlobDeletionDeps, key: string, claimedAttempts: number | null): Promise<boolean> {
  const claim = claimedAttempts === null ? undefined : eq(blobDeletions.attempts, claimedAttempts)
  try {
    await deps.blobs.delete(key)
  } catch (error) {
    const attempts = claimedAttempts ?? sql`${blobDeletions.attempts} + 1`
    const failures = claimedAttempts ?? 1
    await deps.db
      .update(blobDeletions)
      .set({
        attempts,
        nextAttemptAt: new Date(deps.clock.now().getTime() + retryDelayMs(failures)),
        lastError: errorClassOf(error),
      })
      .where(and(eq(blobDeletions.key, key), claim))
      .catch(() => {})
    return false
  }
  // The blob is gone: the row may go, even if the database fails now (the job would only delete again).
  await deps.db
    .delete(blobDeletions)
    .where(and(eq(blobDeletions.key, key), claim))
    .catch(() => {})
  return true
}

/**
 * One pass of the retry: claims up to `limit` rows whose time has come (`FOR UPDATE SKIP LOCKED`,
 * committed at once, counting the attempt and leasing the row), so that several instances never
 * take one row; then deletes each blob outside any transaction. Returns how many it claimed and how
 * many of them it deleted.
 */
export async function retryBlobDeletions(
  deps: BlobDeletionDeps,
  options: { limit: number },
): Promise<{ claimed: number; deleted: number }> {
  const now = deps.clock.now()
  const due = sql`select ${blobDeletions.key} from ${blobDeletions}
    where ${blobDeletions.nextAttemptAt} <= ${now.toISOString()}::timestamptz
    order by ${blobDeletions.nextAttemptAt}
    limit ${options.limit}
    for update skip locked`
  const claims = await deps.db
    .update(blobDeletions)
    .set({
      attempts: sql`${blobDeletions.attempts} + 1`,
      nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS),
    })
    .where(sql`${blobDeletions.key} in (${due})`)
    .returning({ key: blobDeletions.key, attempts: blobDeletions.attempts })
  let deleted = 0
  for (const claim of claims) if (await attempt(deps, claim.key, claim.attempts)) deleted += 1
  return { claimed: claims.length, deleted }
}
