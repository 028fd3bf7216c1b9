/** The oauth module's public surface: what other modules, the jobs and the composition root use. */
export { AccessTokenSigner, resolveSigningKey } from './access-token.js'
export { ClientDirectory } from './client-directory.js'
export {
  findClient,
  insertClient,
  listClientsOfPartners,
  markClientRevoked,
  replaceClientSecret,
} from './clients.repo.js'
export type { OAuthClientRow } from './clients.repo.js'
export { oauthRoutes } from './oauth.routes.js'
export { ALL_SCOPES, isScope, missingScopes, SCOPE_DESCRIPTIONS } from './scopes.js'
