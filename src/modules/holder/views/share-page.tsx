import type { AssetState } from '../../../db/schema.js'
import type { CredentialTypeName } from '../../credential-types/index.js'
import type { ShareContent, SharedCredential } from '../../sharing/index.js'
import { sharingTextOf } from '../i18n/sharing.js'
import { CredentialCard } from './credentials/card.js'
import { fill } from './credentials/common.js'
import { formatDay, formatInstant, formatList, todayIn } from './credentials/format.js'
import { Layout, MessagePage } from './layout.js'
import type { CredentialView } from './models.js'
import type { PageContext } from './page-context.js'
import { QrCode } from './share-links.js'

/** A shared credential as the holder pages' card shows it; documents open under the share link. */
function cardView(credential: SharedCredential, sharePath: string): CredentialView {
  return {
    credentialType: credential.credentialType as CredentialTypeName,
    displayTitle: credential.displayTitle,
    issuerName: credential.issuerName,
    fields: credential.fields,
    partnerChain: credential.partnerChain,
    documents: credential.documents.map((d) => {
      const url = d.available ? `${sharePath}/documents/${d.assetId}` : null
      return {
        assetId: d.assetId,
        assetType: d.assetType,
        state: d.state as AssetState,
        rejectReason: d.rejectReason,
        verification: d.verification,
        bytes: d.bytes,
        viewUrl: url,
        downloadUrl: url ? `${url}?download=1` : null,
      }
    }),
  }
}

function When({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time dateTime={date.toISOString()}>{formatDay(ctx, date)}</time>
}

/** Who sent it, when, when it was accepted: what Credport itself saw. */
function Provenance({ ctx, credential }: { ctx: PageContext; credential: SharedCredential }) {
  const t = sharingTextOf(ctx.locale)
  const chain = credential.partnerChain.map((p) => p.name).filter((name) => typeof name === 'string' && name !== '')
  const template = chain.length > 0 ? t('provenanceChain') : t('provenance')
  return (
    <p class="provenance">
      {fill(template, {
        partner: <strong>{credential.partnerName}</strong>,
        chain: chain.join(', '),
        submitted: <When ctx={ctx} date={credential.submittedAt} />,
        accepted: credential.acceptedAt ? <When ctx={ctx} date={credential.acceptedAt} /> : '—',
      })}
    </p>
  )
}

function SharedCard({
  ctx,
  credential,
  sharePath,
  today,
}: {
  ctx: PageContext
  credential: SharedCredential
  sharePath: string
  today: string
}) {
  const t = sharingTextOf(ctx.locale)
  if (credential.status === 'removed') {
    return (
      <li>
        <article class="card removed">
          <h2 class="title">{t('removedTitle')}</h2>
          <p>{t('removedBody')}</p>
        </article>
      </li>
    )
  }
  return (
    <li class={credential.status === 'revoked' ? 'shared revoked' : 'shared'}>
      <CredentialCard
        ctx={ctx}
        credential={cardView(credential, sharePath)}
        level={2}
        partnerName={credential.partnerName}
        today={today}
      >
        {credential.status === 'revoked' && credential.revokedAt && (
          <p class="notice error revoked-note">
            {fill(t('revokedByIssuer'), {
              date: <When ctx={ctx} date={credential.revokedAt} />,
              reason: credential.revokeReason ?? '—',
            })}
          </p>
        )}
        <Provenance ctx={ctx} credential={credential} />
      </CredentialCard>
    </li>
  )
}

/**
 * The public page of a share link: whose credentials (the names they carry), each credential as
 * the holder's own pages show it with who submitted it and when, what Credport vouches for and
 * what it does not, the link's QR code, and where software finds the signed form.
 */
export function SharePage({
  ctx,
  content,
  sharePath,
  jwksUrl,
  qr,
  now,
}: {
  ctx: PageContext
  content: ShareContent
  sharePath: string
  jwksUrl: string
  qr: string
  now: Date
}) {
  const t = sharingTextOf(ctx.locale)
  const title =
    content.holderNames.length > 0
      ? t('shareTitle', { name: formatList(ctx.locale, content.holderNames) })
      : t('shareTitleNoName')
  const count = content.credentials.length
  const expires = formatInstant(ctx, content.expiresAt)
  const today = todayIn(ctx, now)
  return (
    <Layout ctx={ctx} title={title} noindex footer={t('shareFooter')}>
      <h1>{title}</h1>
      <p class="share-intro">
        {count === 1 ? t('shareIntroOne', { date: expires }) : t('shareIntro', { count, date: expires })}
      </p>
      <ul class="shared-credentials">
        {content.credentials.map((credential) => (
          <SharedCard ctx={ctx} credential={credential} sharePath={sharePath} today={today} />
        ))}
      </ul>
      <section class="vouch" aria-labelledby="vouch-title">
        <h2 id="vouch-title">{t('vouchTitle')}</h2>
        <p>{t('vouchYes')}</p>
        <p>{t('vouchNo')}</p>
      </section>
      <section class="share-qr no-print" aria-labelledby="qr-title">
        <h2 id="qr-title">{t('qrLabel')}</h2>
        <QrCode ctx={ctx} svg={qr} />
      </section>
      <section class="machine" aria-labelledby="machine-title">
        <h2 id="machine-title">{t('machineTitle')}</h2>
        <p>{fill(t('machineBody'), { jwks: <a href={jwksUrl}>{jwksUrl}</a> })}</p>
      </section>
    </Layout>
  )
}

/** An expired, revoked or unknown link: one page for all three (nothing says which). */
export function ShareGonePage({ ctx }: { ctx: PageContext }) {
  const t = sharingTextOf(ctx.locale)
  return <MessagePage ctx={ctx} title={t('goneTitle')} body={t('goneBody')} noindex footer={t('shareFooter')} />
}
