// Baseline for the batch scenario: the least a server can do with a v2 batch — Fastify parses the
// JSON body, ajv validates it (allErrors, against bench/baselines/v2-batch.schema.ts) and the body is
// inserted as one JSONB row; 201 with a redirect-like JSON. It runs on the same kind of database as
// the Credport row it is compared with:
//   DATABASE_URL set → PostgreSQL through a pg pool of 10 (Credport's default DATABASE_POOL_MAX);
//   else PGLITE_DIR  → PGlite in that folder, with Credport's start parameters (shared_buffers=16MB).
// Gets PORT, HOST and LOG_LEVEL from the harness like every baseline.
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Ajv } from 'ajv'
import addFormatsPlugin from 'ajv-formats'
import Fastify from 'fastify'
import pg from 'pg'
import { V2BatchJsonSchema } from './v2-batch.schema.js'

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

const store = await openStore()
await store.query(
  'CREATE TABLE IF NOT EXISTS batches (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
)

const ajv = new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false })
;(addFormatsPlugin as unknown as (a: Ajv) => void)(ajv)

const publicUrl = `http://localhost:${process.env.PORT ?? 3000}`
const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' }, bodyLimit: 1024 * 1024 })
app.setValidatorCompiler(({ schema }) => ajv.compile(schema))

app.get('/healthz', async () => {
  await store.query('select 1')
  return { ok: true }
})

app.post('/api/partner/v2/add/requests/batch.json', { schema: { body: V2BatchJsonSchema } }, async (request, reply) => {
  const id = randomUUID()
  await store.query('INSERT INTO batches (id, body) VALUES ($1, $2::jsonb)', [id, JSON.stringify(request.body)])
  reply.status(201)
  return { redirect_uri: `${publicUrl}/partner/add/batch#content=${id}`, asset_uploads: [] }
})

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      )
  })
}

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' })
