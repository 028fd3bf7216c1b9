/**
 * The holder sign-in module's public surface, for the other holder routes (landing, review,
 * wallet): sessions, CSRF, page context and the signed-in guard.
 */
export {
  holderSessionPlugin,
  ensureSession,
  rotateSession,
  endSession,
  rememberTimeZone,
  prefetchedPage,
  type HolderContext,
} from './session.plugin.js'
export {
  setPendingSubmission,
  purgeExpiredSessions,
  SESSION_TTL_MS,
  type SessionRow,
  type HolderIdentity,
} from './sessions.js'
export { csrfGuard, csrfTokenFor, pageContext, publicPageContext } from './csrf.js'
export { requireSignedIn, signedInHome, SIGN_IN_PATH } from './guards.js'
export { signInRoutes } from './sign-in.routes.js'
export { requestSignInCode, resendSignInCode, verifySignInCode, pendingSignIn, SIGN_IN_RULES } from './sign-in-codes.js'
