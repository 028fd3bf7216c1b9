import type { ComponentChildren, FunctionComponent } from 'preact'
import type { CredentialTypeName } from '../../../credential-types/index.js'
import type { CredentialView } from '../models.js'
import type { PageContext } from '../page-context.js'
import { CareerHistoryDetails } from './career-history.js'
import { credentialText } from '../../i18n/credentials.js'
import { Badge, below, DateText, fill, Heading, IssuedBy, type HeadingLevel } from './common.js'
import type { DetailsProps } from './details.js'
import { DigitalIdentityDetails } from './digital-identity.js'
import { Documents } from './documents.js'
import { EducationDetails } from './education.js'
import { expiredOn, mainDate, nameOn } from './essentials.js'
import { EnglishProficiencyDetails } from './english-proficiency.js'
import { MicrocredentialDetails } from './microcredential.js'
import { RightToWorkDetails } from './right-to-work.js'
import { credentialTitle } from './titles.js'
import { UniversalCredentialDetails } from './universal-credential.js'

/** The details component of every credential type (a new type fails to compile until it has one). */
const DETAILS: Record<CredentialTypeName, FunctionComponent<DetailsProps>> = {
  education: EducationDetails,
  english_proficiency: EnglishProficiencyDetails,
  microcredential: MicrocredentialDetails,
  digital_identity: DigitalIdentityDetails,
  right_to_work: RightToWorkDetails,
  career_history: CareerHistoryDetails,
  universal_credential: UniversalCredentialDetails,
}

/** How a card treats the holder's name (see `CredentialCardProps.holderName`). */
export type HolderNameShown = 'in-details' | 'said-once' | 'differs'

/** Props of `CredentialCard`. */
export interface CredentialCardProps {
  ctx: PageContext
  credential: CredentialView
  /** Level of the card's title; its sections (transcript, employment, documents) nest below it. Default 2. */
  level?: HeadingLevel
  /**
   * The partner that sent it. Named as the issuer of types that have no issuer field (digital
   * identity, right to work, career history): there the partner is who vouches for it.
   */
  partnerName?: string
  /**
   * The holder's name: among the details (default); `said-once` by the page (the review's summary,
   * when every credential carries the same name), so left out; `differs` from the names of other
   * credentials shown with it, so highlighted on the card itself.
   */
  holderName?: HolderNameShown
  /** Today (`YYYY-MM-DD`, in the holder's time zone), to mark an expired credential; none marked without it. */
  today?: string
  /** Extra lines under the issuer (the wallet's "Added on … from …"). */
  children?: ComponentChildren
}

/** "Expired on …": the badge of a credential whose expiry date (`expiredOn`) has passed. */
export function ExpiredBadge({ ctx, date }: { ctx: PageContext; date: string }) {
  const t = credentialText(ctx.locale)
  return <Badge tone="bad">{fill(t('expiredOn'), { date: <DateText ctx={ctx} value={date} /> })}</Badge>
}

/** The face of a card: its main date and badges (expired, name differs, a document still to come, an OpenCerts document verified). */
function statusParts(
  ctx: PageContext,
  credential: CredentialView,
  today: string | undefined,
  differs: boolean,
): ComponentChildren[] {
  const t = credentialText(ctx.locale)
  const date = mainDate(credential)
  const expired = today ? expiredOn(credential, today) : undefined
  const waiting = credential.documents.some((d) => d.state === 'awaiting_upload' || d.state === 'awaiting_fetch')
  const verified = credential.documents.some((d) => d.assetType === 'open_cert' && d.state === 'verified')
  return [
    date && <span class="date">{fill(t(date.key), { date: <DateText ctx={ctx} value={date.value} /> })}</span>,
    expired && <ExpiredBadge ctx={ctx} date={expired} />,
    differs && <Badge tone="warn">{t('nameDiffers')}</Badge>,
    waiting && <Badge tone="neutral">{t('documentWaiting')}</Badge>,
    verified && <Badge tone="good">{t('oc.verifiedShort')}</Badge>,
  ].filter(Boolean)
}

/** True when the details would show something: a field other than the name, or a document. */
function hasDetails(credential: CredentialView, hideName: boolean): boolean {
  const shown = Object.entries(credential.fields).filter(
    ([key, value]) => value !== null && value !== undefined && !(hideName && key === 'full_name'),
  )
  return shown.length > 0 || credential.documents.length > 0
}

/**
 * One credential for people, compact: its kind, title, issuer (with the partner chain), main
 * date and status badges; the type's facts and its documents in a native `<details>` that opens
 * on demand. Dispatches on `credentialType` to the type's details component.
 */
export function CredentialCard({
  ctx,
  credential,
  level = 2,
  partnerName,
  holderName = 'in-details',
  today,
  children,
}: CredentialCardProps) {
  const t = credentialText(ctx.locale)
  const title = credentialTitle(ctx.locale, credential)
  const Details = Object.hasOwn(DETAILS, credential.credentialType) ? DETAILS[credential.credentialType] : undefined
  const name = nameOn(credential)
  const differs = holderName === 'differs' && name !== undefined
  const hideName = holderName !== 'in-details'
  const status = statusParts(ctx, credential, today, differs)
  return (
    <article class={differs ? 'card name-differs' : 'card'}>
      <p class="kind">{Details ? t(`type.${credential.credentialType}`) : credential.credentialType}</p>
      <Heading level={level} class="title">
        {title}
      </Heading>
      <IssuedBy ctx={ctx} issuer={credential.issuerName ?? partnerName ?? null} chain={credential.partnerChain} />
      {children}
      {differs && (
        <p class="holder-name">
          <strong>{t('nameOnCredential', { name })}</strong>
        </p>
      )}
      {/* The date and badges are the summary of the details, so a card takes one tap-sized row for both. */}
      {(Details || credential.documents.length > 0) && hasDetails(credential, hideName) ? (
        <details class="more">
          <summary>
            {status.length > 0 && <span class="status">{status}</span>}
            <span class="open-label">{t('showDetails')}</span>
          </summary>
          {Details && <Details ctx={ctx} credential={credential} level={level} hideName={hideName} />}
          <Documents ctx={ctx} documents={credential.documents} title={title} level={below(level)} />
        </details>
      ) : (
        status.length > 0 && <p class="status">{status}</p>
      )}
    </article>
  )
}
