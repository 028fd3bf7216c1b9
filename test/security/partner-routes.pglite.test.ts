// The security table of every route under /api/ (partner-routes.table.ts) on PGlite.
import { securityOfEveryRoute } from './partner-routes.table.js'

securityOfEveryRoute('pglite')
