/** The admin module's public surface: what other modules, the jobs and the composition root use. */
export { adminRoutes } from './admin.routes.js'
export type { ClientCredentials, ClientView, LogoReceipt, PartnerView } from './admin.schemas.js'
export { deliverDemoCredentials, ensureDemoPartner } from './demo-partner.js'
export { DEMO_DISPLAY_NAME } from './demo-partner.js'
export { findIssuerProfile, type IssuerProfile } from './issuer-profile.js'
