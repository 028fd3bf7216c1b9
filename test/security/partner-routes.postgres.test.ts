// The security table of every route under /api/ (partner-routes.table.ts) on PostgreSQL (nothing
// without TEST_DATABASE_URL, which `npm test` sets).
import { securityOfEveryRoute } from './partner-routes.table.js'

securityOfEveryRoute('postgres')
