/** The holder module's public surface: what other modules, the jobs and the composition root use. */
export { purgeExpiredSessions } from './auth/index.js'
export { holderRoutes } from './holder.routes.js'
