import type { Executor } from '../../db/client.js'
import { validationError } from '../../errors.js'
import { findPartner, listLogoSummaries, type LogoSummary } from './partners.repo.js'

/** Where Credport serves a partner's logo; `v` changes with the logo, so the URL may be cached for long. */
export function logoPath(partnerId: string, sha256: string): string {
  return `/issuers/${partnerId}/logo?v=${sha256.slice(0, 16)}`
}

/** A support contact as stored: an email address, or an https URL; null when it is neither. */
export function parseSupportContact(value: string): { kind: 'email' | 'url'; value: string } | null {
  const trimmed = value.trim()
  if (/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/.test(trimmed) && trimmed.length <= 254)
    return { kind: 'email', value: trimmed }
  try {
    const url = new URL(trimmed)
    if (url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password)
      return { kind: 'url', value: url.href }
  } catch {}
  return null
}

/** The stored form of a support contact from a request body; a 400 at `pointer` when it is neither. */
export function checkSupportContact(value: string, pointer: string): string {
  const parsed = parseSupportContact(value)
  if (!parsed) throw validationError([{ pointer, message: 'must be an email address or an https URL' }])
  return parsed.value
}

/** Who is asking, as the holder pages show it before sign-in: nothing about the holder, only the partner. */
export interface IssuerProfile {
  displayName: string
  /** Path of the logo on this server; null when the partner has none. */
  logoUrl: string | null
  support: { kind: 'email' | 'url'; value: string } | null
}

/** The display name, logo and support contact of a partner (display name falls back to its name); null if unknown. */
export async function findIssuerProfile(db: Executor, partnerId: string): Promise<IssuerProfile | null> {
  const [partner, logos] = await Promise.all([findPartner(db, partnerId), listLogoSummaries(db, [partnerId])])
  if (!partner) return null
  const logo: LogoSummary | undefined = logos[0]
  return {
    displayName: partner.displayName ?? partner.name,
    logoUrl: logo ? logoPath(partner.id, logo.sha256) : null,
    support: partner.supportContact ? parseSupportContact(partner.supportContact) : null,
  }
}
