import type { AssetState } from '../../../db/schema.js'
import type { CredentialTypeName } from '../../credential-types/index.js'

/** One document of a credential, as the holder pages show it. */
export interface DocumentView {
  assetId: string
  assetType: 'pdf' | 'png' | 'jpg' | 'open_cert'
  state: AssetState
  /** Why it was rejected (`not_wrapped`, `integrity_failed`, `host_not_allowed`, …), when it was. */
  rejectReason: string | null
  /** OpenCerts verification outcome, when the document is one (`{status, reason?, issuer_identity}`). */
  verification: Record<string, unknown> | null
  bytes: number | null
  /** Where the document can be opened (same origin, in a tab of its own; images also inline); null until it has arrived. */
  viewUrl: string | null
  /** Where it can be downloaded; null until it has arrived. */
  downloadUrl: string | null
}

/** One credential, as the holder pages show it. */
export interface CredentialView {
  credentialType: CredentialTypeName
  /** The type's computed title ("Bachelor of Commerce (Honours) — majoring in Finance"). */
  displayTitle: string
  /** The issuer named in the credential (education provider, test provider, issuer name…), if any. */
  issuerName: string | null
  /** The credential's fields in canonical form, as stored (spec §4). Render them; never trust them as HTML. */
  fields: Record<string, unknown>
  /** Intermediaries between the partner and the issuer, ordered from the partner side. */
  partnerChain: Array<{ name: string }>
  documents: DocumentView[]
}

/** One credential of a submission under review: its view and Credport's id of it (the checkbox value). */
export interface ReviewCredential extends CredentialView {
  id: string
}

/** The review page: everything one submission holds. */
export interface ReviewModel {
  /** Credport's request id of the submission: decision forms name it. */
  requestId: string
  /** Name of the partner that sent the submission. */
  partnerName: string
  /** Its credentials; once decided, only those the holder accepted. */
  credentials: ReviewCredential[]
  /** How many of its credentials the holder declined (0 while undecided). */
  declined: number
  /** When the submission expires if not accepted or declined. */
  expiresAt: Date
  /** When the page is built (the service's clock): what has expired is judged against it. */
  asOf: Date
}
