import type { Static, TObject } from 'typebox'
import type { ValidationIssue } from '../../lib/issues.js'

/** The `credential_type` values of the API (spec §2). */
export type CredentialTypeName =
  | 'education'
  | 'english_proficiency'
  | 'microcredential'
  | 'digital_identity'
  | 'right_to_work'
  | 'career_history'
  | 'universal_credential'

/** The v2 `asset_type` values (spec §3.2, §6). */
export type AssetType = 'pdf' | 'png' | 'jpg' | 'open_cert'

/** Where a credential's fields arrived: a single add or a batch item, on v1 or v2. */
export type Envelope = 'v1' | 'v2' | 'v1-batch' | 'v2-batch'

/** Everything Credport knows about one credential type; one object per file in this folder. */
export interface CredentialTypeDefinition<S extends TObject = TObject> {
  /** The `credential_type` value and path segment. */
  name: CredentialTypeName
  /** Display label of the kind, e.g. 'Qualification'. */
  title: string
  /** OAuth scope needed to send it, e.g. 'write.education'. */
  scope: string
  /** Holder page path segment of the redirect link (spec §10), e.g. 'englishProficiency'. */
  redirectPath: string
  /** Allowed v1 `document_type` values; null = the type is not available on v1. */
  v1DocumentTypes: readonly string[] | null
  /** Allowed v2 `asset_type` values; [] = the type takes no assets. */
  assetTypes: readonly AssetType[]
  /** Most assets one item may carry; null = no per-item limit. */
  maxAssets: number | null
  /** Its section in a v2 batch (spec §5.1): an array of items or a single item. */
  batchSection: { key: string; kind: 'array' | 'single' }
  /** Field holding the issuer's name; null where there is none. */
  issuerField: string | null
  /** Schema of `fields` (v2) / `data.credential` (v1): closed, every property described. */
  fields: S
  /**
   * Cross-field rules the schema cannot express. Pointers are relative to the fields object
   * ('/conferral_year'). Called on values that passed the schema, and also on any object that
   * failed it (so a partner sees every problem at once): implementations check the type of
   * every member they read and skip a rule whose inputs are malformed.
   */
  check(fields: Static<S>, envelope: Envelope): ValidationIssue[]
  /** Canonical stored form (a fresh object; the input is never changed). */
  normalize(fields: Static<S>): Static<S>
  /** Human title of one credential, e.g. "Bachelor of Commerce (Honours) — majoring in Finance". */
  displayTitle(fields: Static<S>): string
}
