import type { Executor } from '../../db/client.js'
import { insertSubmissions, type NewSubmissionRows } from './submissions.repo.js'

/**
 * Statements storing new submissions that may run at once on one database; the rest wait and go
 * together. One: on 2 cores, the batch row measured half the statements per batch, and about a
 * fifth less database CPU and a tenth less server CPU per batch, than with 2 (bench/results.md).
 */
const MAX_RUNNING = 1
/** Most submissions one statement stores. */
const MAX_GROUP = 16

interface Waiting {
  rows: NewSubmissionRows
  resolve(stored: boolean): void
  reject(error: unknown): void
}

interface Queue {
  running: number
  waiting: Waiting[]
}

const queues = new WeakMap<object, Queue>()

/**
 * Stores a new submission with its items, assets and Idempotency-Key in one statement; answers
 * false, storing nothing, when a current submission already answers for the partner's id (a key
 * already taken fails with a unique violation).
 *
 * `grouped` (PostgreSQL, outside a transaction): the submissions of requests that arrive while MAX_RUNNING
 * such statements are running are stored together by the next one (group commit): one statement,
 * one commit and one round trip for several, which is most of the database's cost of a submission
 * after its rows. A request alone is stored at once. Not on PGlite: it runs each statement on the
 * server's own thread, so few requests arrive while one runs, and the HTTP batch rows measured no
 * gain there (bench/results.md). A statement stores all of its submissions or none: when one
 * for several fails, each is stored again by a statement of its own, so that one request's error
 * (a key already taken) is its own. Not grouped (PGlite, or in a transaction): one statement of its own.
 */
export function insertSubmission(
  db: Executor,
  rows: NewSubmissionRows,
  options: { grouped: boolean },
): Promise<boolean> {
  if (!options.grouped) return insertOne(db, rows)
  let queue = queues.get(db)
  if (!queue) {
    queue = { running: 0, waiting: [] }
    queues.set(db, queue)
  }
  const done = new Promise<boolean>((resolve, reject) => queue.waiting.push({ rows, resolve, reject }))
  drain(db, queue)
  return done
}

async function insertOne(db: Executor, rows: NewSubmissionRows): Promise<boolean> {
  return (await insertSubmissions(db, [rows])).has(rows.submission.id)
}

function drain(db: Executor, queue: Queue): void {
  while (queue.running < MAX_RUNNING && queue.waiting.length > 0) {
    const group = queue.waiting.splice(0, MAX_GROUP)
    queue.running++
    void store(db, group).finally(() => {
      queue.running--
      drain(db, queue)
    })
  }
}

async function store(db: Executor, group: Waiting[]): Promise<void> {
  if (group.length > 1) {
    let stored: Set<string> | undefined
    try {
      stored = await insertSubmissions(
        db,
        group.map((w) => w.rows),
      )
    } catch {
      // Each again on its own, below: its own answer or its own error.
    }
    if (stored) {
      for (const w of group) w.resolve(stored.has(w.rows.submission.id))
      return
    }
  }
  await Promise.all(group.map((w) => insertOne(db, w.rows).then(w.resolve, w.reject)))
}
