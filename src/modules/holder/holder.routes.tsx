import fs from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { Deps } from '../../deps.js'
import { accountRoutes } from './account/account.routes.js'
import { holderSessionPlugin, signInRoutes } from './auth/index.js'
import { documentRoutes } from './flow/documents.routes.js'
import { flowRoutes } from './flow/flow.routes.js'
import { shareLinkRoutes } from './flow/share-links.routes.js'
import { sharePageRoutes } from './flow/share-page.routes.js'
import { AppError } from '../../errors.js'
import { pageContext } from './auth/csrf.js'
import { PageNotFoundPage } from './views/outcome.js'
import { sendPage } from './views/render.js'
import { COPY_LINK_SCRIPT, COPY_LINK_SCRIPT_PATH } from './views/copy-link.js'
import { REVIEW_SELECTION_SCRIPT, REVIEW_SELECTION_SCRIPT_PATH } from './views/review-selection.js'
import { WALLET_PATH } from './views/wallet-model.js'
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
  // Addresses people type or shorten: the server's root (from a browser) and /holder lead to the
  // wallet (sign-in first when signed out); any other /holder/… address that is no page answers a
  // page in the holder's language, not a problem document. (Other methods, and the API, keep the
  // problem answers.)
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    if (!request.headers.accept?.includes('text/html')) throw new AppError('not_found', 'No route for GET /')
    return reply.redirect(WALLET_PATH, 303)
  })
  for (const path of ['/holder', '/holder/'])
    app.get(path, { schema: { hide: true } }, async (_request, reply) => reply.redirect(WALLET_PATH, 303))
  app.get('/holder/*', { schema: { hide: true } }, async (request, reply) => {
    // A path served under other methods is a 405, as everywhere; static files are no pages (and
    // are served without a session).
    if (app.servesPath(request.url)) return reply.callNotFound()
    if (request.url.startsWith('/holder/static/')) throw new AppError('not_found', `No route for GET ${request.url}`)
    const ctx = await pageContext(request, reply, '/holder')
    return sendPage(reply, ctx.nonce, <PageNotFoundPage ctx={ctx} />, 404)
  })
  app.get('/holder/static/holder.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  )
  app.get(TIME_ZONE_SCRIPT_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(TIME_ZONE_SCRIPT),
  )
  for (const [path, script] of [
    [REVIEW_SELECTION_SCRIPT_PATH, REVIEW_SELECTION_SCRIPT],
    [COPY_LINK_SCRIPT_PATH, COPY_LINK_SCRIPT],
  ] as const) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(script),
    )
  }
}
