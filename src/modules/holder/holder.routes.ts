import fs from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../deps.js'
import { accountRoutes } from './account/account.routes.js'
import { holderSessionPlugin, signInRoutes } from './auth/index.js'
import { documentRoutes } from './flow/documents.routes.js'
import { flowRoutes } from './flow/flow.routes.js'
import { shareLinkRoutes } from './flow/share-links.routes.js'
import { sharePageRoutes } from './flow/share-page.routes.js'
import { REVIEW_SELECTION_SCRIPT, REVIEW_SELECTION_SCRIPT_PATH } from './views/review-selection.js'
import { TIME_ZONE_SCRIPT, TIME_ZONE_SCRIPT_PATH } from './views/time-zone.js'

const STYLESHEET = fs.readFileSync(new URL('./static/holder.css', import.meta.url))

/** The holder's side: landing on a redirect link, sign-in, review and consent, wallet, share links (and the pages verifiers open). */
export async function holderRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(holderSessionPlugin, { deps })
  await app.register(async (scope) => signInRoutes(scope, deps))
  await app.register(async (scope) => flowRoutes(scope, deps))
  await app.register(async (scope) => documentRoutes(scope, deps))
  await app.register(async (scope) => accountRoutes(scope, deps))
  await app.register(async (scope) => shareLinkRoutes(scope, deps))
  await app.register(async (scope) => sharePageRoutes(scope, deps))
  app.get('/holder/static/holder.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  )
  app.get(TIME_ZONE_SCRIPT_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(TIME_ZONE_SCRIPT),
  )
  app.get(REVIEW_SELECTION_SCRIPT_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(REVIEW_SELECTION_SCRIPT),
  )
}
