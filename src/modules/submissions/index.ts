/**
 * The submissions module's public surface, for the other modules (holder pages, jobs, later
 * webhooks): the lifecycle of a submission — its transitions and state rules — and the reads the
 * holder pages need. Everything else in this folder (intake, status, repositories) is its own.
 */
export type { AssetRow, ItemRow, SubmissionRow } from '../../db/schema.js'

// The lifecycle: bind → accept | decline, or expire; decline and expire purge (spec §10).
export {
  acceptByHolder,
  bindHolder,
  declineByHolder,
  decideByHolder,
  expireSubmissions,
  revokeByIssuer,
  withdrawByIssuer,
  type BindDeps,
  type DecisionInput,
  type ItemDecisionInput,
  type LifecycleDeps,
} from './lifecycle.js'
export { effectiveStatus, holderViewOf, reportedAssetState, type HolderView } from './submission-state.js'
export { revocationOf, type Revocation } from './submission-state.js'

// Reads for the holder pages.
export { findHolderDocument, findLinkedSubmission } from './holder-reads.js'
export { findAcceptedItemOfHolder, findPartnerName } from './holder-reads.repo.js'
export { listAcceptedItemsOf } from './holder-reads.repo.js'
export {
  readHolderSubmission,
  readHolderWallet,
  type HolderAssetRow,
  type HolderItemRow,
  type HolderSubmissionRead,
} from './holder-reads.repo.js'
export {
  decodeHolderSubmission,
  decodeHolderWallet,
  holderPageColumn,
  type HolderPage,
  type HolderWalletRead,
} from './holder-reads.repo.js'
export type { HolderSubmissionJson } from './holder-reads.repo.js'
export { findSubmission, listAssetsOf, listItemsOf } from './submissions.repo.js'

// Housekeeping for the jobs.
export { purgeExpiredIdempotencyKeys } from './submissions.repo.js'

// The partner routes, registered by the app.
export { intakeRoutes, unknownTypeRoutes } from './intake.routes.js'
export { statusRoutes } from './status.routes.js'

// The holder's data rights: remove one credential, erase everything bound to a holder, export reads.
export {
  deleteErasedBlobs,
  eraseHolderFromSubmissions,
  removeCredentialByHolder,
  type RemoveCredentialInput,
} from './holder-erasure.js'
export { listSubmissionsOfHolder } from './holder-export.repo.js'
export { correctionRoutes } from './corrections.routes.js'
