import { createRequire } from 'node:module'

/** The package version, for the OpenAPI document and the start line. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version
