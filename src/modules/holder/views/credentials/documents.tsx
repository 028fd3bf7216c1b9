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

/** The short file type a document's icon shows. */
const FILE_LABEL: Record<DocumentView['assetType'], string> = { pdf: 'PDF', png: 'PNG', jpg: 'JPG', open_cert: 'JSON' }

/**
 * An image at a sensible size (never wider than its card, lazily loaded). PDFs are never
 * embedded: many phone browsers show nothing for an inline PDF, and Chromium's viewer fills a
 * card with its dark toolbar; the document card's "Open" shows it in a tab of its own.
 */
function ImagePreview({ document, label }: { document: DocumentView; label: string }) {
  const src = safeUrl(document.viewUrl)
  if (!src || (document.assetType !== 'png' && document.assetType !== 'jpg')) return null
  return <img class="document-image" src={src} alt={label} loading="lazy" decoding="async" />
}

/** "Open" (in a new tab; not for OpenCerts data, which is only downloaded) and "Download", with the file's size. */
function DocumentActions({
  t,
  document,
  type,
  title,
}: {
  t: Translate
  document: DocumentView
  type: string
  title: string
}) {
  const [view, download] = [safeUrl(document.viewUrl), safeUrl(document.downloadUrl)]
  if (!view && !download) return null
  return (
    <p class="document-actions">
      {view && document.assetType !== 'open_cert' && (
        <a
          class="button secondary small"
          href={view}
          target="_blank"
          rel="noopener"
          aria-label={t('opensInNewTab', { type, title })}
        >
          {t('openDocument')}
        </a>
      )}
      {download && (
        <a class="button secondary small" href={download} download aria-label={t('downloadOf', { type, title })}>
          {t('downloadDocument')}
        </a>
      )}
    </p>
  )
}

/**
 * One document of a credential, by state: awaited (neutral badge), missing, rejected (the
 * reason in words), or arrived: a light document card (file type, size, OpenCerts outcome of its
 * integrity check, "Open" in a new tab and "Download"), images also shown. `title` is the
 * credential's title, for the text alternatives.
 */
export function DocumentItem({ ctx, document, title }: { ctx: PageContext; document: DocumentView; title: string }) {
  const t = credentialText(ctx.locale)
  const type = t(`doc.${document.assetType}`)
  const label = t('documentOf', { type, title })
  const size =
    typeof document.bytes === 'number' && document.bytes > 0 ? formatBytes(ctx.locale, document.bytes) : undefined
  const head = (badge?: ComponentChildren) => (
    <p class="document-head">
      <span class={`file-icon ${document.assetType}`} aria-hidden="true">
        {FILE_LABEL[document.assetType] ?? '?'}
      </span>
      <strong>{type}</strong>
      {badge ?? (size && <span class="size">{size}</span>)}
    </p>
  )
  switch (document.state) {
    case 'awaiting_upload':
    case 'awaiting_fetch':
      return <li class="document">{head(<Badge tone="neutral">{t('awaiting')}</Badge>)}</li>
    case 'missing':
      return <li class="document">{head(<Badge tone="warn">{t('missing')}</Badge>)}</li>
    case 'rejected':
      if (!isOpenCertsJudgement(document)) {
        const key = `reject.${document.rejectReason}`
        return (
          <li class="document">
            {head(<Badge tone="bad">{t('notAccepted')}</Badge>)}
            <p>{hasCredentialText(key) ? t(key) : t('reject.other', { reason: document.rejectReason ?? '—' })}</p>
          </li>
        )
      }
      break // received, then judged by OpenCerts: shown like an arrived document, with the outcome
  }
  return (
    <li class="document">
      {head()}
      {document.assetType === 'open_cert' && <OpenCertsResult t={t} document={document} />}
      <ImagePreview document={document} label={label} />
      <DocumentActions t={t} document={document} type={type} title={title} />
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
