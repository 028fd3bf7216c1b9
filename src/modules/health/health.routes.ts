import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors.js'

const Status = Type.Object({ status: Type.String({ description: '`ok` when healthy.' }) })

/** Liveness (`/healthz`) and readiness (`/readyz`: the database answers, and the S3 bucket when documents are there). */
export async function healthRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/healthz',
    { schema: { tags: ['Operations'], summary: 'The process is alive', response: { 200: Status } } },
    async () => ({ status: 'ok' }),
  )

  app.get(
    '/readyz',
    {
      config: { problems: ['service_unavailable'] },
      schema: {
        tags: ['Operations'],
        summary: 'The database (and document store) is reachable',
        response: { 200: Status },
      },
    },
    async (request) => {
      try {
        await deps.database.ping()
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed')
        throw new AppError('service_unavailable', 'The database is not reachable')
      }
      try {
        await deps.blobs.check?.()
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed: blob store')
        throw new AppError('service_unavailable', 'The document store is not reachable')
      }
      return { status: 'ok' }
    },
  )
}
