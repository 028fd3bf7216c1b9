// What the two batch baselines share: Fastify with the JSON body parsed and validated by ajv
// (allErrors, against bench/baselines/v2-batch.schema.ts), GET /healthz, and
// POST /api/partner/v2/add/requests/batch.json answered 201 with a redirect-like JSON and no upload
// links once `store` has kept the batch. Each baseline only says how it stores. Gets PORT, HOST
// and LOG_LEVEL from the harness like every baseline; stops on SIGTERM / SIGINT.
import { Ajv } from 'ajv'
import addFormatsPlugin from 'ajv-formats'
import Fastify from 'fastify'
import { V2BatchJsonSchema } from './v2-batch.schema.js'

export interface BatchStore {
  /** Stores a validated batch; resolves with the id it is stored under, or null when its id is taken. */
  store(body: Record<string, unknown>): Promise<string | null>
  ping(): Promise<void>
  close(): Promise<void>
}

export async function serveBatchBaseline(store: BatchStore): Promise<void> {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    strict: false,
  })
  ;(addFormatsPlugin as unknown as (a: Ajv) => void)(ajv)

  const publicUrl = `http://localhost:${process.env.PORT ?? 3000}`
  const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' }, bodyLimit: 1024 * 1024 })
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema))

  app.get('/healthz', async () => {
    await store.ping()
    return { ok: true }
  })

  app.post(
    '/api/partner/v2/add/requests/batch.json',
    { schema: { body: V2BatchJsonSchema } },
    async (request, reply) => {
      const id = await store.store(request.body as Record<string, unknown>)
      if (id === null) return reply.status(409).send({ error: 'this credential_id is already stored' })
      reply.status(201)
      return { redirect_uri: `${publicUrl}/partner/add/batch#content=${id}`, asset_uploads: [] }
    },
  )

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
}
