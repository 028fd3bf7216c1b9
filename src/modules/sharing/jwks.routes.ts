import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../deps.js'
import { publishedKeys } from './signing-keys.js'

/** `GET /.well-known/jwks.json`: the public keys share links' JSON is signed with (RFC 7517). */
export async function jwksRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get('/.well-known/jwks.json', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('application/jwk-set+json')
      // Short: a rotation's new key reaches verifiers within minutes.
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .send(JSON.stringify(await publishedKeys(deps.db, deps.clock.now()))),
  )
}
