/**
 * `credport/client`: a typed client of the Credport partner API. Runs wherever `fetch` and
 * WebCrypto exist (Node 20+, Deno, Bun, browsers); its one dependency is TypeBox, for the
 * server's own schemas behind `validate()`.
 */
export {
  createClient,
  STATUS_CHUNK,
  type ClientOptions,
  type CredportClient,
  type SubmitOptions,
  type UploadData,
  type UploadOptions,
  type WaitOptions,
  type WaitUntil,
} from './client.js'
export {
  CredportAuthError,
  CredportError,
  CredportNetworkError,
  CredportProblemError,
  CredportTimeoutError,
  CredportValidationError,
  CredportWaitError,
  type Issue,
  type ProblemDetails,
} from './errors.js'
export type * from './types.js'
export {
  CredportWebhookError,
  verifyWebhook,
  WEBHOOK_TOLERANCE_SECONDS,
  type VerifyWebhookOptions,
  type WebhookFailure,
} from './webhooks.js'
export { typeboxChecker, validate, type ValidateTarget } from './validate.js'
