import { credentialTypes, type CredentialTypeName } from '../../credential-types/index.js'
import { credentialText, credentialsText } from '../i18n/credentials.js'
import type { Locale } from '../i18n/index.js'
import { walletText, walletTextOf } from '../i18n/wallet.js'
import { credentialTitle } from './credentials/titles.js'
import type { Revocation } from '../../submissions/index.js'
import type { CredentialView } from './models.js'

/** One accepted credential of the holder's wallet: its own page is `/holder/wallet/{id}`. */
export interface WalletEntry extends CredentialView {
  /** Credport's id of the credential (the submission item), for its page. */
  id: string
  /** The partner that sent it. */
  partnerName: string
  /** When the holder accepted it. */
  acceptedAt: Date
  /** Its issuer's revocation (when, why), null while it stands: a revoked credential stays, marked. */
  revocation?: Revocation | null
}

/** The credentials of one kind, newest first. */
export interface WalletGroup {
  credentialType: CredentialTypeName
  entries: WalletEntry[]
}

/** Where the wallet is, and where each credential's own page is. */
export const WALLET_PATH = '/holder/wallet'
export const walletItemPath = (id: string) => `${WALLET_PATH}/${encodeURIComponent(id)}`

/** The longest search the wallet takes (longer ones are cut here: nobody types more). */
export const MAX_QUERY_LENGTH = 100

const TYPE_ORDER = new Map(credentialTypes.map((type, index) => [type.name as string, index]))

/** The heading of a kind in the page's language (the type's own name for a type this version does not know). */
export function groupLabel(locale: Locale, type: string): string {
  const key = `group.${type}`
  return Object.hasOwn(walletText.en, key) ? walletTextOf(locale)(key as keyof typeof walletText.en) : type
}

/** Entries grouped by kind in registry order (unknown kinds last), newest first within a kind. */
export function groupEntries(entries: readonly WalletEntry[]): WalletGroup[] {
  const groups = new Map<CredentialTypeName, WalletEntry[]>()
  for (const entry of entries) {
    const list = groups.get(entry.credentialType) ?? []
    list.push(entry)
    groups.set(entry.credentialType, list)
  }
  const rank = (type: string) => TYPE_ORDER.get(type) ?? TYPE_ORDER.size
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([credentialType, list]) => ({
      credentialType,
      // A stable sort: entries of one acceptance keep the order the partner sent them in.
      entries: [...list].sort((a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime()),
    }))
}

/** Text folded for matching: accents dropped (é → e), case ignored; other scripts (Thai) unchanged. */
export function foldForSearch(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** The search as typed, tidied: a string of at most `MAX_QUERY_LENGTH`, '' for none (or a repeated `q`). */
export function searchQuery(raw: unknown): string {
  return typeof raw === 'string' ? raw.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH) : ''
}

/** What a search looks through: the titles (shown and as sent), issuer, partner, intermediaries and kind. */
function searchableText(locale: Locale, entry: WalletEntry): string {
  const typeKey = `type.${entry.credentialType}`
  const kind = Object.hasOwn(credentialsText.en, typeKey)
    ? credentialText(locale)(typeKey as keyof typeof credentialsText.en)
    : ''
  return [
    credentialTitle(locale, entry),
    entry.displayTitle,
    entry.issuerName ?? '',
    entry.partnerName,
    ...entry.partnerChain.map((link) => (typeof link?.name === 'string' ? link.name : '')),
    groupLabel(locale, entry.credentialType),
    kind,
  ].join('\n')
}

/**
 * The entries matching `query`: every word of it appears (case- and accent-insensitive) in what
 * the holder reads of the credential. An empty query matches everything.
 */
export function searchEntries(locale: Locale, entries: readonly WalletEntry[], query: string): WalletEntry[] {
  const words = foldForSearch(query).split(' ').filter(Boolean)
  if (words.length === 0) return [...entries]
  return entries.filter((entry) => {
    const text = foldForSearch(searchableText(locale, entry))
    return words.every((word) => text.includes(word))
  })
}
