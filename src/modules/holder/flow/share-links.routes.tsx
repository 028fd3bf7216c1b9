import formbody from '@fastify/formbody'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.js'
import {
  createShareLink,
  findShareLink,
  listShareLinks,
  proposeShareToken,
  qrSvg,
  revokeShareLink,
} from '../../sharing/index.js'
import { csrfGuard, pageContext, requireSignedIn } from '../auth/index.js'
import { sendPage } from '../views/render.js'
import {
  NEW_SHARE_LINK_PATH,
  NewShareLinkPage,
  RevokeShareLinkPage,
  revokePath,
  SHARE_LINKS_PATH,
  ShareLinkCreatedPage,
  ShareLinkNotFoundPage,
  ShareLinksPage,
} from '../views/share-links.js'
import { loadWalletEntries } from './wallet-entries.js'

const LIST = { schema: { hide: true, querystring: Type.Object({ revoked: Type.Optional(Type.Unknown()) }) } }
const NEW = { schema: { hide: true, querystring: Type.Object({ item: Type.Optional(Type.Unknown()) }) } }
const ONE = { schema: { hide: true, params: Type.Object({ id: Type.String() }) } }
/** Form POSTs: CSRF checked first, the fields then read leniently. */
const FORM = { schema: { hide: true, body: Type.Record(Type.String(), Type.Unknown()) }, preValidation: csrfGuard }
const FORM_ONE = { ...FORM, schema: { ...FORM.schema, params: Type.Object({ id: Type.String() }) } }

/** A form or query field that may be sent once, many times or not at all: its string values. */
function values(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}
const one = (value: unknown) => (typeof value === 'string' ? value : '')

/** The holder's share links: make one from the wallet's credentials, list them, revoke one. */
export async function shareLinkRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  await app.register(formbody, { bodyLimit: 64 * 1024 })

  app.get(SHARE_LINKS_PATH, LIST, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, SHARE_LINKS_PATH)
    const links = await listShareLinks(deps, request.holder.holder!.id)
    const revokedId = one(request.query.revoked)
    const revoked = links.find((link) => link.id === revokedId && link.status === 'revoked')?.label
    return sendPage(reply, ctx.nonce, <ShareLinksPage ctx={ctx} links={links} revoked={revoked} />)
  })

  // The form; `?item=` (from a credential's page) selects credentials beforehand.
  app.get(NEW_SHARE_LINK_PATH, NEW, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, NEW_SHARE_LINK_PATH)
    const entries = await loadWalletEntries(deps.db, request.holder.holder!.id)
    const form = {
      label: '',
      expiry: '30d',
      includeDocuments: false,
      itemIds: values(request.query.item),
      proposedToken: proposeShareToken(),
    }
    return sendPage(reply, ctx.nonce, <NewShareLinkPage ctx={ctx} entries={entries} form={form} />)
  })

  // Makes the link and shows it once (the page is not stored anywhere: `no-store`).
  app.post(SHARE_LINKS_PATH, FORM, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const holderId = request.holder.holder!.id
    const form = {
      label: one(request.body.label),
      expiry: one(request.body.expiry),
      includeDocuments: one(request.body.documents) === '1',
      itemIds: values(request.body.item),
      proposedToken: one(request.body.link_token),
    }
    const created = await createShareLink(deps, { holderId, ...form })
    if (!created.ok) {
      const ctx = await pageContext(request, reply, NEW_SHARE_LINK_PATH)
      const entries = await loadWalletEntries(deps.db, holderId)
      return sendPage(
        reply,
        ctx.nonce,
        <NewShareLinkPage ctx={ctx} entries={entries} form={form} problems={created.problems} />,
        400,
      )
    }
    request.log.info(
      { share_link_id: created.link.id },
      created.repeated ? 'share link shown again (its form was sent again)' : 'share link created',
    )
    const ctx = await pageContext(request, reply, SHARE_LINKS_PATH)
    const url = `${deps.config.publicUrl}/s/${created.token}`
    return sendPage(
      reply,
      ctx.nonce,
      <ShareLinkCreatedPage
        ctx={ctx}
        url={url}
        label={created.link.label}
        expiresAt={created.link.expiresAt}
        qr={await qrSvg(url)}
      />,
      created.repeated ? 200 : 201,
    )
  })

  app.get(`${SHARE_LINKS_PATH}/:id/revoke`, ONE, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, revokePath(request.params.id))
    const link = await findShareLink(deps, request.holder.holder!.id, request.params.id)
    if (!link) return sendPage(reply, ctx.nonce, <ShareLinkNotFoundPage ctx={ctx} />, 404)
    if (link.status !== 'active') return reply.redirect(SHARE_LINKS_PATH, 303)
    return sendPage(reply, ctx.nonce, <RevokeShareLinkPage ctx={ctx} link={link} />)
  })

  app.post(`${SHARE_LINKS_PATH}/:id/revoke`, FORM_ONE, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const { id } = request.params
    const revoked = await revokeShareLink(deps, request.holder.holder!.id, id)
    if (!revoked) {
      const ctx = await pageContext(request, reply, SHARE_LINKS_PATH)
      return sendPage(reply, ctx.nonce, <ShareLinkNotFoundPage ctx={ctx} />, 404)
    }
    request.log.info({ share_link_id: id }, 'share link revoked')
    return reply.redirect(`${SHARE_LINKS_PATH}?revoked=${encodeURIComponent(id)}`, 303)
  })
}
