import formbody from '@fastify/formbody'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.js'
import { credentialTypes } from '../../credential-types/index.js'
import {
  csrfGuard,
  ensureSession,
  pageContext,
  prefetchedPage,
  rememberTimeZone,
  requireSignedIn,
  setPendingSubmission,
} from '../auth/index.js'
import { todayIn } from '../views/credentials/format.js'
import { LandingPage } from '../views/landing.js'
import {
  AlreadyBoundPage,
  ExpiredPage,
  type KindCount,
  LinkNotFoundPage,
  OutcomePage,
  WithdrawnPage,
} from '../views/outcome.js'
import type { PageContext } from '../views/page-context.js'
import { sendPage } from '../views/render.js'
import { CHOICE_FIELD, ConfirmPage, ReviewPage } from '../views/review.js'
import { WalletItemNotFoundPage, WalletItemPage, WalletPage } from '../views/wallet.js'
import { searchQuery } from '../views/wallet-model.js'
import { AppError } from '../../../errors.js'
import { checkArrivalsOf } from '../../assets/index.js'
import {
  acceptByHolder,
  bindHolder,
  declineByHolder,
  decideByHolder,
  decodeHolderSubmission,
  decodeHolderWallet,
  findLinkedSubmission,
  findPartnerName,
  holderViewOf,
  readHolderSubmission,
  type HolderSubmissionJson,
  type HolderSubmissionRead,
  type SubmissionRow,
} from '../../submissions/index.js'
import { reviewModelOf } from './view-models.js'
import { findWalletEntry, loadWalletEntries, walletEntriesOf } from './wallet-entries.js'

/** Holder page paths of redirect links (spec §10): one per credential type, and `batch`. */
const LINK_PATHS = new Set([...credentialTypes.map((t) => t.redirectPath), 'batch'])
const hide = { schema: { hide: true } }
/** `?notice=` of the review after a decision from an older page that named another submission. */
const OTHER_REQUEST = 'other-request'
const OTHER_REQUEST_REVIEW = `/holder/review?notice=${OTHER_REQUEST}`
const LANDING = { schema: { hide: true, params: Type.Object({ path: Type.String() }) } }
/** `?notice=` says why the review is shown again; anything else is ignored. */
const REVIEW = {
  schema: { hide: true, querystring: Type.Object({ notice: Type.Optional(Type.Unknown()) }) },
  config: { holderPage: 'review' as const },
}
/** `?notice=` of the wallet when a link already accepted is opened again. */
const ALREADY_ACCEPTED = 'accepted'
/** The wallet's `?q=` search, read leniently (`searchQuery`: anything but one string is no search). */
const WALLET = {
  schema: {
    hide: true,
    querystring: Type.Object({ q: Type.Optional(Type.Unknown()), notice: Type.Optional(Type.Unknown()) }),
  },
  config: { holderPage: 'wallet' as const },
}
const WALLET_ITEM = { schema: { hide: true, params: Type.Object({ itemId: Type.String() }) } }

/**
 * Every form POST: CSRF checked before validation, so nothing is validated (or answered) before
 * that check; the form's fields are then read leniently (`field`: a missing or repeated field is '').
 */
const FORM = { schema: { hide: true, body: Type.Record(Type.String(), Type.Unknown()) }, preValidation: csrfGuard }
const field = (form: Readonly<Record<string, unknown>>, name: string) => {
  const value = form[name]
  return typeof value === 'string' ? value : ''
}
/** A repeated field's values (none when missing; strings only). */
const fields = (form: Readonly<Record<string, unknown>>, name: string): string[] => {
  const value = form[name]
  const values = Array.isArray(value) ? value : [value]
  return values.filter((v): v is string => typeof v === 'string')
}
/**
 * The credentials a decision form accepts: those it names (`item`) when it names them one by one
 * (`choice=items`, the review's checkboxes: none named is none accepted), else every one (a form
 * from before per-item consent). Null for "every one".
 */
const acceptedItemsOf = (form: Readonly<Record<string, unknown>>): string[] | null =>
  field(form, CHOICE_FIELD) === 'items' ? fields(form, 'item') : null

/** How many credentials of each kind, in the order they first appear. */
function kindCounts(credentials: ReadonlyArray<{ credentialType: KindCount['credentialType'] }>): KindCount[] {
  const counts = new Map<KindCount['credentialType'], number>()
  for (const { credentialType } of credentials) counts.set(credentialType, (counts.get(credentialType) ?? 0) + 1)
  return [...counts].map(([credentialType, count]) => ({ credentialType, count }))
}

function notFoundPage(reply: FastifyReply, ctx: PageContext) {
  return sendPage(reply, ctx.nonce, <LinkNotFoundPage ctx={ctx} />, 404)
}

async function expiredPage(
  deps: Deps,
  reply: FastifyReply,
  ctx: PageContext,
  submission: SubmissionRow,
  knownPartnerName?: string,
) {
  const partnerName = knownPartnerName ?? (await findPartnerName(deps.db, submission.partnerId))
  // Withdrawn by its partner, or expired: either way gone (410), each said as it happened.
  const page =
    holderViewOf(submission, deps.clock.now()) === 'withdrawn' ? (
      <WithdrawnPage ctx={ctx} partnerName={partnerName} />
    ) : (
      <ExpiredPage ctx={ctx} partnerName={partnerName} ttlMs={deps.config.submissionTtlMs} />
    )
  return sendPage(reply, ctx.nonce, page, 410)
}

/** The views of a link whose request is gone: it expired, or its partner withdrew it. */
const gone = (submission: SubmissionRow, now: Date) => {
  const view = holderViewOf(submission, now)
  return view === 'expired' || view === 'withdrawn'
}

/**
 * A lifecycle transition's result, or null when its state guard refused it (the submission is
 * someone else's, or already decided or expired): the pages then show where it stands instead.
 */
async function refusedAsNull<T>(transition: Promise<T>): Promise<T | null> {
  try {
    return await transition
  } catch (error) {
    if (error instanceof AppError) return null
    throw error
  }
}

/** The read of the session's pending submission: the one made with the session's for the review (`holderPage`), else made now. */
async function pendingRead(
  deps: Deps,
  request: FastifyRequest,
  pendingId: string,
): Promise<HolderSubmissionRead | undefined> {
  const prefetched = prefetchedPage(request, 'review')
  if (!prefetched) return readHolderSubmission(deps.db, pendingId)
  return prefetched.json ? decodeHolderSubmission(prefetched.json as HolderSubmissionJson) : undefined
}

/**
 * The submission the signed-in holder is working on, once bound to them, with all its pages show
 * (one statement: `readHolderSubmission`); otherwise null, after answering with the page to show
 * instead (the route then returns the reply as it is).
 */
async function boundSubmission(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: PageContext,
): Promise<HolderSubmissionRead | null> {
  const pendingId = request.holder.session?.pendingSubmissionId
  const read = pendingId ? await pendingRead(deps, request, pendingId) : undefined
  if (!read) {
    reply.redirect('/holder/wallet', 303)
    return null
  }
  const { submission, partnerName } = read
  if (gone(submission, deps.clock.now())) {
    await expiredPage(deps, reply, ctx, submission, partnerName)
    return null
  }
  const holderId = request.holder.holder!.id
  if (submission.holderId === holderId) return read
  // The first page after opening the link binds it (its credentials and documents stay as read).
  const bound = await refusedAsNull(bindHolder(deps, { submissionId: submission.id, holderId }))
  if (!bound) {
    sendPage(reply, ctx.nonce, <AlreadyBoundPage ctx={ctx} partnerName={partnerName} />, 403)
    return null
  }
  return { ...read, submission: bound }
}

/** Landing on a redirect link, review and consent, the wallet and the documents in it. */
export async function flowRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  await app.register(formbody, { bodyLimit: 16 * 1024 })

  app.get('/partner/add/:path', LANDING, async (request, reply) => {
    const { path } = request.params
    const ctx = await pageContext(request, reply, `/partner/add/${path}`)
    if (!LINK_PATHS.has(path)) return notFoundPage(reply, ctx)
    return sendPage(reply, ctx.nonce, <LandingPage ctx={ctx} path={path} />)
  })

  app.post('/holder/open', FORM, async (request, reply) => {
    // The browser's time zone, so that the first review after signing in writes times in it.
    rememberTimeZone(request, reply, request.body.time_zone)
    const submission = await findLinkedSubmission(deps, {
      requestId: field(request.body, 'content'),
      clientId: field(request.body, 'client_id'),
      path: field(request.body, 'path'),
    })
    if (!submission) return notFoundPage(reply, await pageContext(request, reply, '/holder/open'))
    if (gone(submission, deps.clock.now()))
      return expiredPage(deps, reply, await pageContext(request, reply, '/holder/open'), submission)
    const session = await ensureSession(deps, request, reply)
    await setPendingSubmission(deps, session.id, submission.id)
    return reply.redirect(request.holder.holder ? '/holder/review' : '/holder/sign-in', 303)
  })

  app.get('/holder/review', REVIEW, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, '/holder/review')
    const read = await boundSubmission(deps, request, reply, ctx)
    if (!read) return reply
    const { submission } = read
    const view = holderViewOf(submission, deps.clock.now())
    if (view === 'verified') return reply.redirect(`/holder/wallet?notice=${ALREADY_ACCEPTED}`, 303)
    // BLOB_STORE=s3: documents PUT to the bucket a moment ago show as arrived (bounded in time);
    // the page is read again only when a check settled one.
    const settled = view === 'open' ? await checkArrivalsOf(deps, submission.id) : 0
    const shown = settled > 0 ? ((await readHolderSubmission(deps.db, submission.id)) ?? read) : read
    const model = reviewModelOf(shown, deps.clock.now())
    if (view === 'declined') {
      return sendPage(
        reply,
        ctx.nonce,
        <OutcomePage ctx={ctx} outcome="canceled" partnerName={model.partnerName} count={model.credentials.length} />,
      )
    }
    const otherRequest = request.query.notice === OTHER_REQUEST
    return sendPage(reply, ctx.nonce, <ReviewPage ctx={ctx} model={model} otherRequest={otherRequest} />)
  })

  app.post('/holder/review/decision', FORM, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const decision = field(request.body, 'decision')
    if (decision !== 'accept' && decision !== 'decline') return reply.redirect('/holder/review', 303)
    const ctx = await pageContext(request, reply, '/holder/review')
    const read = await boundSubmission(deps, request, reply, ctx)
    if (!read) return reply
    const { submission } = read
    if (holderViewOf(submission, deps.clock.now()) !== 'open') return reply.redirect('/holder/review', 303)
    if (field(request.body, 'submission') !== submission.id) return reply.redirect(OTHER_REQUEST_REVIEW, 303)
    const model = reviewModelOf(read, deps.clock.now())
    const chosen = acceptedItemsOf(request.body)
    const accepting = (c: { id: string }) => decision === 'accept' && (chosen === null || chosen.includes(c.id))
    return sendPage(
      reply,
      ctx.nonce,
      <ConfirmPage
        ctx={ctx}
        decision={decision}
        partnerName={model.partnerName}
        accepted={model.credentials.filter(accepting)}
        declined={model.credentials.filter((c) => !accepting(c))}
        requestId={submission.id}
      />,
    )
  })

  app.post('/holder/review/decision/confirm', FORM, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const decision = field(request.body, 'decision')
    const submissionId = request.holder.session?.pendingSubmissionId
    // The form names the submission it was shown for: a decision from an older tab changes nothing,
    // and the holder is told so on the review of the submission open now.
    if ((decision === 'accept' || decision === 'decline') && submissionId) {
      if (field(request.body, 'submission') !== submissionId) return reply.redirect(OTHER_REQUEST_REVIEW, 303)
      const input = { submissionId, holderId: request.holder.holder!.id }
      const chosen = acceptedItemsOf(request.body)
      const decided = await refusedAsNull(
        decision === 'decline'
          ? declineByHolder(deps, input)
          : chosen
            ? decideByHolder(deps, { ...input, acceptedItemIds: chosen })
            : acceptByHolder(deps, input),
      )
      if (decided) request.log.info({ request_id_of_submission: decided.id, status: decided.status }, 'holder decided')
    }
    return reply.redirect('/holder/done', 303)
  })

  app.get('/holder/done', hide, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, '/holder/done')
    const read = await boundSubmission(deps, request, reply, ctx)
    if (!read) return reply
    const { submission } = read
    const view = holderViewOf(submission, deps.clock.now())
    if (view === 'open') return reply.redirect('/holder/review', 303)
    const model = reviewModelOf(read, deps.clock.now())
    const outcome = view === 'verified' ? 'verified' : 'canceled'
    return sendPage(
      reply,
      ctx.nonce,
      <OutcomePage
        ctx={ctx}
        outcome={outcome}
        partnerName={model.partnerName}
        count={model.credentials.length}
        declined={model.declined}
        kinds={kindCounts(model.credentials)}
      />,
    )
  })

  app.get('/holder/wallet', WALLET, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const ctx = await pageContext(request, reply, '/holder/wallet')
    const prefetched = prefetchedPage(request, 'wallet')
    const entries = prefetched
      ? walletEntriesOf((prefetched.json as HolderSubmissionJson[]).map(decodeHolderWallet))
      : await loadWalletEntries(deps.db, request.holder.holder!.id)
    const today = todayIn(ctx, deps.clock.now())
    return sendPage(
      reply,
      ctx.nonce,
      <WalletPage
        ctx={ctx}
        entries={entries}
        query={searchQuery(request.query.q)}
        today={today}
        alreadyAccepted={request.query.notice === ALREADY_ACCEPTED}
      />,
    )
  })

  // One credential of the wallet. Unknown ids and other holders' credentials get the same 404.
  app.get('/holder/wallet/:itemId', WALLET_ITEM, async (request, reply) => {
    if (!requireSignedIn(request, reply)) return reply
    const path = `/holder/wallet/${encodeURIComponent(request.params.itemId)}`
    const ctx = await pageContext(request, reply, path)
    const entry = await findWalletEntry(deps.db, request.holder.holder!.id, request.params.itemId)
    if (!entry) return sendPage(reply, ctx.nonce, <WalletItemNotFoundPage ctx={ctx} />, 404)
    return sendPage(reply, ctx.nonce, <WalletItemPage ctx={ctx} entry={entry} today={todayIn(ctx, deps.clock.now())} />)
  })
}
