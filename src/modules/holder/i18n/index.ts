import { keptOrBuilt } from '../../../lib/bounded-map.js'
import { common } from './common.js'

/** Interface languages: English, Indonesian and Thai (the markets the service runs in). */
export const LOCALES = ['en', 'id', 'th'] as const
export type Locale = (typeof LOCALES)[number]

/** Native names for the language switch. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', id: 'Bahasa Indonesia', th: 'ไทย' }

/** A dictionary of one feature: the same keys in every language (English is the reference). */
export type Dictionary<K extends string> = Record<Locale, Record<K, string>>

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** The best interface language for an `Accept-Language` header (RFC 9110 quality values). */
export function negotiateLocale(header: string | undefined): Locale {
  if (!header) return 'en'
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean)
      return { language: (tag ?? '').trim().toLowerCase().split('-')[0]!, q: q === undefined ? 1 : Number(q) }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q)
  return ranked.map((entry) => entry.language).find(isLocale) ?? 'en'
}

/**
 * A template split at its `{name}` placeholders: the text pieces at even positions, the names at
 * odd ones (`'Hi {name}!'` → `['Hi ', 'name', '!']`). Pages fill a few hundred templates each, so
 * each is split once. The templates are the dictionaries' strings, a closed set; the cache is
 * bounded all the same, in case a filled string is ever passed as a template.
 */
export function templatePieces(template: string): readonly string[] {
  return keptOrBuilt(splitTemplates, template, () => template.split(/\{(\w+)\}/), TEMPLATES_KEPT)
}
const splitTemplates = new Map<string, readonly string[]>()
const TEMPLATES_KEPT = 5000

/** Fills `{name}` placeholders; an unknown name stays as written. */
function interpolate(template: string, params: Record<string, string | number>): string {
  if (!template.includes('{')) return template
  const pieces = templatePieces(template)
  let text = pieces[0]!
  for (let i = 1; i < pieces.length; i += 2) {
    const name = pieces[i]!
    text += (Object.hasOwn(params, name) ? String(params[name]) : `{${name}}`) + pieces[i + 1]!
  }
  return text
}

const NO_PARAMS: Record<string, never> = {}

/** A translator bound to one dictionary and language. */
export function translator<K extends string>(dictionary: Dictionary<K>, locale: Locale) {
  const strings = dictionary[locale]
  return (key: K, params: Record<string, string | number> = NO_PARAMS): string =>
    interpolate(strings[key] ?? dictionary.en[key], params)
}

/** Translator for the strings every page shares. */
export const commonText = (locale: Locale) => translator(common, locale)
