// Baseline for the batch scenario: the least a server can do with a v2 batch — Fastify parses the
// JSON body, ajv validates it (bench/baselines/batch-server.ts) and the body is inserted as one
// JSONB row; 201 with a redirect-like JSON. It runs on the same kind of database as
// the Credport row it is compared with:
//   DATABASE_URL set → PostgreSQL through a pg pool of 10 (Credport's default DATABASE_POOL_MAX);
//   else PGLITE_DIR  → PGlite in that folder, with Credport's start parameters (shared_buffers=16MB).
// Gets PORT, HOST and LOG_LEVEL from the harness like every baseline.
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { serveBatchBaseline } from './batch-server.js'

interface Store {
  query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>
  close(): Promise<void>
}

async function openStore(): Promise<Store> {
  const url = process.env.DATABASE_URL
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 })
    pool.on('error', () => {})
    return { query: (sql, params) => pool.query(sql, params), close: () => pool.end() }
  }
  const dir = process.env.PGLITE_DIR
  if (!dir) throw new Error('ajv-jsonb baseline: set DATABASE_URL or PGLITE_DIR')
  mkdirSync(path.dirname(dir), { recursive: true })
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams ?? []
  const db = new PGlite({ dataDir: dir, startParams: [...defaults, '-c', 'shared_buffers=16MB'] })
  await db.waitReady
  return {
    query: (sql, params) => db.query<Record<string, unknown>>(sql, params),
    close: () => db.close(),
  }
}

const database = await openStore()
await database.query(
  'CREATE TABLE IF NOT EXISTS batches (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
)

await serveBatchBaseline({
  async store(body) {
    const id = randomUUID()
    await database.query('INSERT INTO batches (id, body) VALUES ($1, $2::jsonb)', [id, JSON.stringify(body)])
    return id
  },
  ping: async () => {
    await database.query('select 1')
  },
  close: () => database.close(),
})
