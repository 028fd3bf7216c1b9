import type { ComponentChildren, FunctionComponent } from 'preact'
import type { CredentialTypeName } from '../../../credential-types/index.js'
import type { CredentialView } from '../models.js'
import type { PageContext } from '../page-context.js'
import { CareerHistoryDetails } from './career-history.js'
import { credentialText } from '../../i18n/credentials.js'
import { below, Heading, IssuedBy, type HeadingLevel } from './common.js'
import type { DetailsProps } from './details.js'
import { DigitalIdentityDetails } from './digital-identity.js'
import { Documents } from './documents.js'
import { EducationDetails } from './education.js'
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
  /** Extra lines under the issuer (the wallet's "Added on … from …"). */
  children?: ComponentChildren
}

/**
 * One credential for people: its kind, title, issuer (with the partner chain), the type's facts
 * and its documents. Dispatches on `credentialType` to the type's details component.
 */
export function CredentialCard({ ctx, credential, level = 2, partnerName, children }: CredentialCardProps) {
  const t = credentialText(ctx.locale)
  const title = credentialTitle(ctx.locale, credential)
  const Details = Object.hasOwn(DETAILS, credential.credentialType) ? DETAILS[credential.credentialType] : undefined
  return (
    <article class="card">
      <p class="kind">{Details ? t(`type.${credential.credentialType}`) : credential.credentialType}</p>
      <Heading level={level} class="title">
        {title}
      </Heading>
      <IssuedBy ctx={ctx} issuer={credential.issuerName ?? partnerName ?? null} chain={credential.partnerChain} />
      {children}
      {Details && <Details ctx={ctx} credential={credential} level={level} />}
      <Documents ctx={ctx} documents={credential.documents} title={title} level={below(level)} />
    </article>
  )
}
