/** The health module's public surface: what other modules, the jobs and the composition root use. */
export { healthRoutes } from './health.routes.js'
