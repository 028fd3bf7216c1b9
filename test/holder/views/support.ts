import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'
import { getCredentialType } from '../../../src/modules/credential-types/registry.js'
import type { CredentialTypeName } from '../../../src/modules/credential-types/types.js'
import type { Locale } from '../../../src/modules/holder/i18n/index.js'
import type { CredentialView, DocumentView } from '../../../src/modules/holder/views/models.js'
import type { PageContext } from '../../../src/modules/holder/views/page-context.js'
import { batchSampleFields, example, type Json } from '../../credential-types/support.js'

export { batchSampleFields, example, type Json }

/** The CSRF token every test page is rendered with. */
export const CSRF = 'csrf-Zm9vYmFy-token'

/** A page context: signed in, in `locale`. */
export function pageContext(locale: Locale = 'en', overrides: Partial<PageContext> = {}): PageContext {
  return {
    locale,
    nonce: 'bm9uY2U=',
    csrfToken: CSRF,
    signedInEmail: 'holder@example.com',
    path: '/holder/review',
    ...overrides,
  }
}

/** Markup of a component tree, as the server sends it. */
export function render(node: VNode<any>): string {
  return renderToString(node)
}

/** The text a person reads: tags dropped, entities decoded, white space collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * A credential as the holder pages receive it, built the way the service builds it: the type's
 * canonical form, its displayTitle, the issuer from its issuer field, the partner chain.
 */
export function credentialView(
  type: CredentialTypeName,
  fields: Json,
  extra: Partial<CredentialView> = {},
): CredentialView {
  const def = getCredentialType(type)
  if (!def) throw new Error(`unknown type ${type}`)
  const canonical = def.normalize(fields as never) as Record<string, unknown>
  const issuer = def.issuerField ? canonical[def.issuerField] : null
  return {
    credentialType: type,
    displayTitle: def.displayTitle(canonical as never),
    issuerName: typeof issuer === 'string' ? issuer : null,
    fields: canonical,
    partnerChain: Array.isArray(fields.partner_chain) ? fields.partner_chain : [],
    documents: [],
    ...extra,
  }
}

/** A document that has arrived; override what a test needs. */
export function documentView(overrides: Partial<DocumentView> = {}): DocumentView {
  return {
    assetId: 'asset-1',
    assetType: 'pdf',
    state: 'received',
    rejectReason: null,
    verification: null,
    bytes: 52_300,
    viewUrl: '/holder/documents/asset-1',
    downloadUrl: '/holder/documents/asset-1?download=1',
    ...overrides,
  }
}

/** The levels of the headings in `html`, in document order. */
export function headingLevels(html: string): number[] {
  return [...html.matchAll(/<h([1-6])[\s>]/g)].map((match) => Number(match[1]))
}
