import type { ComponentChildren } from 'preact'
import type { DocumentView } from '../models.js'
import type { PageContext } from '../page-context.js'
import { credentialText, hasCredentialText } from '../../i18n/credentials.js'
import { Badge, Heading, type HeadingLevel } from './common.js'
import { formatBytes, safeUrl } from './format.js'
import { isObject } from './read.js'

type Translate = ReturnType<typeof credentialText>

/** The OpenCerts outcome of a document: from its stored verification, else from its state. */
function openCertsOutcome(document: DocumentView): {
  status: string | undefined
  reason: string | undefined
  issuerIdentity: unknown
} {
  const v = isObject(document.verification) ? document.verification : {}
  const status =
    typeof v.status === 'string'
      ? v.status
      : document.state === 'verified' || document.state === 'rejected'
        ? document.state
        : undefined
  const reason = typeof v.reason === 'string' ? v.reason : (document.rejectReason ?? undefined)
  return { status, reason, issuerIdentity: v.issuer_identity }
}

/** True when a rejected document was received and judged by OpenCerts (so it can still be downloaded). */
function isOpenCertsJudgement(document: DocumentView): boolean {
  return (
    document.assetType === 'open_cert' &&
    (isObject(document.verification) || hasCredentialText(`oc.reason.${document.rejectReason}`))
  )
}

function OpenCertsResult({ t, document }: { t: Translate; document: DocumentView }) {
  const { status, reason, issuerIdentity } = openCertsOutcome(document)
  const shortKey = `oc.reason.${reason}`
  const explainKey = `oc.explain.${reason}`
  return (
    <>
      {status === 'verified' ? (
        <p>
          <Badge tone="good">{t('oc.verified')}</Badge> {t('oc.verifiedExplain')}
        </p>
      ) : status === 'rejected' ? (
        <p>
          <Badge tone="bad">
            {t('oc.notVerified', { reason: hasCredentialText(shortKey) ? t(shortKey) : (reason ?? '') })}
          </Badge>{' '}
          {hasCredentialText(explainKey) && t(explainKey)}
        </p>
      ) : (
        <p>
          <Badge tone="neutral">{t('oc.notChecked')}</Badge>
        </p>
      )}
      {(issuerIdentity === undefined || issuerIdentity === 'not_checked') && (
        <p class="hint">{t('oc.issuerNotChecked')}</p>
      )}
    </>
  )
}

function InlineView({ document, label }: { document: DocumentView; label: string }) {
  const src = safeUrl(document.viewUrl)
  if (!src) return null
  if (document.assetType === 'png' || document.assetType === 'jpg') {
    return <img class="document-image" src={src} alt={label} loading="lazy" />
  }
  if (document.assetType === 'pdf') return <iframe class="document-frame" src={src} title={label} loading="lazy" />
  return null
}

function DownloadLink({
  ctx,
  t,
  document,
  type,
}: {
  ctx: PageContext
  t: Translate
  document: DocumentView
  type: string
}) {
  const href = safeUrl(document.downloadUrl)
  if (!href) return null
  const bytes = document.bytes
  const label =
    typeof bytes === 'number' && bytes > 0
      ? t('downloadSized', { type, size: formatBytes(ctx.locale, bytes) })
      : t('download', { type })
  return (
    <p>
      <a href={href} download>
        {label}
      </a>
    </p>
  )
}

/**
 * One document of a credential, by state: awaited (neutral badge), missing, rejected (the
 * reason in words), or arrived (shown inline: images and PDFs; OpenCerts with the outcome of its
 * integrity check) with a download link. `title` is the credential's title, for the text
 * alternative of the inline view.
 */
export function DocumentItem({ ctx, document, title }: { ctx: PageContext; document: DocumentView; title: string }) {
  const t = credentialText(ctx.locale)
  const type = t(`doc.${document.assetType}`)
  const label = t('documentOf', { type, title })
  const head = (badge?: ComponentChildren) => (
    <p class="document-head">
      <strong>{type}</strong> {badge}
    </p>
  )
  switch (document.state) {
    case 'awaiting_upload':
    case 'awaiting_fetch':
      return <li>{head(<Badge tone="neutral">{t('awaiting')}</Badge>)}</li>
    case 'missing':
      return <li>{head(<Badge tone="warn">{t('missing')}</Badge>)}</li>
    case 'rejected':
      if (!isOpenCertsJudgement(document)) {
        const key = `reject.${document.rejectReason}`
        return (
          <li>
            {head(<Badge tone="bad">{t('notAccepted')}</Badge>)}
            <p>{hasCredentialText(key) ? t(key) : t('reject.other', { reason: document.rejectReason ?? '—' })}</p>
          </li>
        )
      }
      break // received, then judged by OpenCerts: shown like an arrived document, with the outcome
  }
  return (
    <li>
      {head()}
      {document.assetType === 'open_cert' && <OpenCertsResult t={t} document={document} />}
      <InlineView document={document} label={label} />
      <DownloadLink ctx={ctx} t={t} document={document} type={type} />
    </li>
  )
}

/** The documents of one credential under their own heading; nothing when it has none. */
export function Documents({
  ctx,
  documents,
  title,
  level,
}: {
  ctx: PageContext
  documents: readonly DocumentView[]
  title: string
  level: HeadingLevel
}) {
  if (documents.length === 0) return null
  const t = credentialText(ctx.locale)
  return (
    <section>
      <Heading level={level} class="subhead">
        {t('documents')}
      </Heading>
      <ul class="documents">
        {documents.map((document) => (
          <DocumentItem ctx={ctx} document={document} title={title} />
        ))}
      </ul>
    </section>
  )
}
