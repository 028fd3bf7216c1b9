import type { PageContext } from '../page-context.js'
import type { CredentialView } from '../models.js'
import type { HeadingLevel } from './common.js'

/** Props of every credential type's details: the card's heading level, so sub-headings nest below it. */
export interface DetailsProps {
  ctx: PageContext
  credential: CredentialView
  level: HeadingLevel
  /** The holder's name is said elsewhere (once in the review's summary, or on the card when it differs): leave it out. */
  hideName?: boolean
}
