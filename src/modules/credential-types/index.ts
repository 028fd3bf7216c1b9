/** The credential-types module's public surface: what other modules, the jobs and the composition root use. */
export { PartnerChainSchema, isRecord, nonBlank, nullable, strictObject } from './common.js'
export type { Unchecked } from './common.js'
export { canonicalCefrLevel } from './english-proficiency.js'
export { credentialRuleIssues, credentialTypes, getCredentialType, validateCredentialFields } from './registry.js'
export { countryName, workRightsLabel } from './right-to-work.js'
export type { AssetType, CredentialTypeDefinition, CredentialTypeName, Envelope } from './types.js'
export type { CredentialFieldsByType } from './fields-by-type.js'
