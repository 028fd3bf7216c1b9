import formbody from '@fastify/formbody'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.js'
import { AppError } from '../../../errors.js'
import { removeCredentialByHolder } from '../../submissions/index.js'
import { csrfGuard, endSession, pageContext, requireSignedIn } from '../auth/index.js'
import { findWalletEntry, loadWalletEntries } from '../flow/wallet-entries.js'
import {
  ACCOUNT_PATH,
  AccountDeletedPage,
  AccountPage,
  DELETE_CONFIRM_FIELD,
  DELETE_CONFIRM_VALUE,
  DELETE_PATH,
  DELETED_PATH,
  DeleteConfirmPage,
  EXPORT_PATH,
  RemovableNotFoundPage,
  RemoveConfirmPage,
  removePath,
} from '../views/account.js'
import { knownTimeZone } from '../views/credentials/format.js'
import { sendPage } from '../views/render.js'
import { TIME_ZONE_COOKIE } from '../views/time-zone.js'
import { deleteHolderAccount } from './delete-account.js'
import { exportArchive, exportFileName, readExportContent } from './export-archive.js'

const hide = { schema: { hide: true } }
/** `?notice=removed` after a removal; anything else is ignored. */
const ACCOUNT = { schema: { hide: true, querystring: Type.Object({ notice: Type.Optional(Type.Unknown()) }) } }
const ITEM = { schema: { hide: true, params: Type.Object({ itemId: Type.String() }) } }
/** Form POSTs: CSRF checked before anything else (as every holder form), fields read leniently. */
const formBody = Type.Record(Type.String(), Type.Unknown())
const FORM = { schema: { hide: true, body: formBody }, preValidation: csrfGuard }
const ITEM_FORM = {
  schema: { hide: true, body: formBody, params: Type.Object({ itemId: Type.String() }) },
  preValidation: csrfGuard,
}

/**
 * The holder's data rights (issue 17 §4): the "Your data" page, download everything (a ZIP streamed
 * as it is built), remove one credential and delete the account, each behind a confirmation step
 * and CSRF-checked. Other holders' credentials answer as unknown ones. Logs carry no personal data.
 */
export async function accountRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  await app.register(formbody, { bodyLimit: 16 * 1024 })

  app.get(ACCOUNT_PATH, ACCOUNT, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, ACCOUNT_PATH)
    const entries = await loadWalletEntries(deps.db, request.holder.holder!.id)
    const removed = request.query.notice === 'removed'
    return sendPage(reply, ctx.nonce, <AccountPage ctx={ctx} entries={entries} removed={removed} />)
  })

  app.post(EXPORT_PATH, FORM, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const content = await readExportContent(deps, request.holder.holder!.id)
    if (!content) return reply.redirect(ACCOUNT_PATH, 303)
    const zone = knownTimeZone(request.cookies[TIME_ZONE_COOKIE])
    request.log.info({ documents: content.documents.length }, 'holder exported their data')
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${exportFileName(deps.clock.now(), zone)}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(await exportArchive(deps, content))
  })

  app.get('/holder/account/remove/:itemId', ITEM, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, removePath(request.params.itemId))
    const entry = await findWalletEntry(deps.db, request.holder.holder!.id, request.params.itemId)
    if (!entry) return sendPage(reply, ctx.nonce, <RemovableNotFoundPage ctx={ctx} />, 404)
    return sendPage(reply, ctx.nonce, <RemoveConfirmPage ctx={ctx} entry={entry} />)
  })

  app.post('/holder/account/remove/:itemId', ITEM_FORM, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    try {
      await removeCredentialByHolder(deps, { holderId: request.holder.holder!.id, itemId: request.params.itemId })
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      const ctx = await pageContext(request, reply, removePath(request.params.itemId))
      return sendPage(reply, ctx.nonce, <RemovableNotFoundPage ctx={ctx} />, 404)
    }
    request.log.info({ item_id: request.params.itemId }, 'holder removed a credential')
    return reply.redirect(`${ACCOUNT_PATH}?notice=removed`, 303)
  })

  app.get(DELETE_PATH, hide, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, DELETE_PATH)
    const count = (await loadWalletEntries(deps.db, request.holder.holder!.id)).length
    return sendPage(reply, ctx.nonce, <DeleteConfirmPage ctx={ctx} count={count} missing={false} />)
  })

  app.post(DELETE_PATH, FORM, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    if (request.body[DELETE_CONFIRM_FIELD] !== DELETE_CONFIRM_VALUE) {
      const ctx = await pageContext(request, reply, DELETE_PATH)
      const count = (await loadWalletEntries(deps.db, request.holder.holder!.id)).length
      return sendPage(reply, ctx.nonce, <DeleteConfirmPage ctx={ctx} count={count} missing={true} />, 400)
    }
    await deleteHolderAccount(deps, request.holder.holder!.id)
    // The session went with the account: the browser's cookie goes too.
    await endSession(deps, request, reply)
    request.log.info('holder deleted their account')
    // In the language the holder was using: it was kept in the session that is now gone.
    return reply.redirect(`${DELETED_PATH}?lang=${request.holder.locale}`, 303)
  })

  app.get(DELETED_PATH, hide, async (request, reply) => {
    const ctx = await pageContext(request, reply, DELETED_PATH)
    return sendPage(reply, ctx.nonce, <AccountDeletedPage ctx={ctx} />)
  })
}
