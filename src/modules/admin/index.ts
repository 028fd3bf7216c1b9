/** The admin module's public surface: what other modules, the jobs and the composition root use. */
export { adminRoutes } from './admin.routes.js'
export type { ClientCredentials, ClientView, PartnerView } from './admin.schemas.js'
export { deliverDemoCredentials, ensureDemoPartner } from './demo-partner.js'
