import { keptOrBuilt } from '../../../../lib/bounded-map.js'
import type { Locale } from '../../i18n/index.js'

// Locale formatting for the holder pages. Dates use the Gregorian calendar in every language
// (Thai would default to the Buddhist era): the documents shown beside the facts, and the
// partners' data, use Gregorian years, and the holder compares the two.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTH = /^(\d{4})-(\d{2})$/
const YEAR = /^\d{4}$/

/**
 * How a page writes dates and times: its language, the locale of its date formats (English is
 * day-month-year, as in Australia and the UK, unless the browser asked for US English) and the
 * holder's time zone, when the browser told it (otherwise times are in UTC, with the zone named).
 * A `PageContext` is one.
 */
export interface DateContext {
  locale: Locale
  /** BCP 47 locale of date formats ('en-GB', 'en-US', 'id', 'th'); the language's default when absent. */
  dateLocale?: string
  /** IANA time zone of the holder ('Australia/Melbourne'); UTC when absent. */
  timeZone?: string
}

/** The date locale of a page in `locale` for a browser sending `acceptLanguage`. */
export function dateLocaleFor(locale: Locale, acceptLanguage: string | undefined): string {
  if (locale !== 'en') return locale
  // The English variant the browser ranks first (q-values in order, as browsers send them).
  const english = (acceptLanguage ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim().toLowerCase())
    .find((tag) => tag === 'en' || tag.startsWith('en-'))
  return english === 'en-us' ? 'en-US' : 'en-GB'
}

// Intl objects are costly to build (a page would otherwise build dozens) and never change: one per
// key, built on first use (`keptOrBuilt`). Keys come from a closed set (locales, styles, time zones
// this runtime knows), except the time zones asked about, whose cache is bounded.

/** The time zones asked about (cookies), as this runtime names them (null: unknown); at most ZONES_KEPT. */
const zones = new Map<string, string | null>()
const ZONES_KEPT = 1000

/** `value` when it is an IANA time zone this runtime knows (the cookie is the browser's word); undefined otherwise. */
export function knownTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return undefined
  let zone = zones.get(value)
  if (zone === undefined) {
    try {
      zone = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone
    } catch {
      zone = null
    }
    if (zones.size >= ZONES_KEPT) zones.clear()
    zones.set(value, zone)
  }
  return zone ?? undefined
}

const formatters = new Map<string, Intl.DateTimeFormat>()
const isoDays = new Map<string, Intl.DateTimeFormat>()
const lists = new Map<string, Intl.ListFormat>()
const units = new Map<string, Intl.NumberFormat>()
const plurals = new Map<string, Intl.PluralRules>()

/** The shapes the pages write dates in, named so a formatter's cache key needs no serialising. */
const STYLES = {
  day: { dateStyle: 'long' },
  month: { year: 'numeric', month: 'long' },
  instant: {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  },
} satisfies Record<string, Intl.DateTimeFormatOptions>

/**
 * A cached formatter: Gregorian, in `timeZone` (UTC for stored calendar dates, which have no zone).
 * In Thai, where years are counted from the Buddhist era by default, every date says its Gregorian
 * era ("ค.ศ. 2026"), as the long date style does by itself: months and instants too, so that one
 * page never writes a year two ways.
 */
function formatter(ctx: DateContext, style: keyof typeof STYLES, timeZone = 'UTC'): Intl.DateTimeFormat {
  const locale = dateLocaleOf(ctx)
  const era = style !== 'day' && /^th\b/i.test(locale) ? ({ era: 'short' } as const) : {}
  return keptOrBuilt(
    formatters,
    `${locale}:${timeZone}:${style}`,
    () => new Intl.DateTimeFormat(locale, { ...STYLES[style], ...era, calendar: 'gregory', timeZone }),
  )
}

function dateLocaleOf(ctx: DateContext): string {
  return ctx.dateLocale ?? (ctx.locale === 'en' ? 'en-GB' : ctx.locale)
}

/** A UTC date when `y`, `m`, `d` name a real calendar day (so `2024-02-30` is not shifted to March). */
function utcDate(y: number, m: number, d: number): Date | undefined {
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : undefined
}

/**
 * Dates as written, by date locale and value (and time zone, for points in time). A page writes a
 * dozen or more, each a few microseconds of ICU, and the same ones again on every view; at most
 * DATES_KEPT are kept.
 */
const writtenDates = new Map<string, string>()
/** Points in time as written (`formatDay`): a map of its own, so that no stored value can stand for one. */
const writtenDays = new Map<string, string>()
const DATES_KEPT = 5000

/**
 * A stored date for people: `YYYY-MM-DD` as a full date, `YYYY-MM` as month and year, `YYYY`
 * as is. Anything else is returned unchanged (it is rendered as text, so it stays harmless).
 */
export function formatDate(ctx: DateContext, value: string): string {
  // A date shape is at most 10 characters: a longer value is shown as sent, and never kept.
  if (value.length > 10) return value
  return keptOrBuilt(writtenDates, `${dateLocaleOf(ctx)} ${value}`, () => writeDate(ctx, value), DATES_KEPT)
}

function writeDate(ctx: DateContext, value: string): string {
  const day = DAY.exec(value)
  if (day) {
    const date = utcDate(Number(day[1]), Number(day[2]), Number(day[3]))
    return date ? formatter(ctx, 'day').format(date) : value
  }
  const month = MONTH.exec(value)
  if (month) {
    const date = utcDate(Number(month[1]), Number(month[2]), 1)
    return date ? formatter(ctx, 'month').format(date) : value
  }
  return value
}

/** True when `value` is a date shape `formatDate` understands (for `<time datetime>`). */
export function isDateValue(value: string): boolean {
  return DAY.test(value) || MONTH.test(value) || YEAR.test(value)
}

/**
 * A point in time as a date in the holder's time zone (UTC when unknown), e.g. when a credential was
 * added. Kept as written, like stored dates: a wallet writes one per credential on every view.
 */
export function formatDay(ctx: DateContext, instant: Date): string {
  const key = `${dateLocaleOf(ctx)} ${ctx.timeZone ?? 'UTC'} ${instant.getTime()}`
  return keptOrBuilt(writtenDays, key, () => formatter(ctx, 'day', ctx.timeZone).format(instant), DATES_KEPT)
}

/**
 * A point in time as date, time and zone, e.g. when a request expires: in the holder's time zone
 * when known, otherwise in UTC; the zone is always named ("3 January 2026 at 12:00 UTC").
 */
export function formatInstant(ctx: DateContext, instant: Date): string {
  return formatter(ctx, 'instant', ctx.timeZone).format(instant)
}

/** Today's date (`YYYY-MM-DD`) in the holder's time zone (UTC when unknown), to compare with stored dates. */
export function todayIn(ctx: DateContext, now: Date): string {
  const timeZone = ctx.timeZone ?? 'UTC'
  return keptOrBuilt(isoDays, timeZone, () => new Intl.DateTimeFormat('en-CA', { timeZone })).format(now)
}

/** "A, B and C" in the language's own way. */
export function formatList(locale: Locale, items: readonly string[]): string {
  return keptOrBuilt(lists, locale, () => new Intl.ListFormat(locale, { type: 'conjunction' })).format(items)
}

/** A file size in kB or MB, e.g. "12 kB". */
export function formatBytes(locale: Locale, bytes: number): string {
  const [value, unit] = bytes >= 1_000_000 ? [bytes / 1_000_000, 'megabyte'] : [Math.max(bytes / 1000, 1), 'kilobyte']
  return unitFormat(locale, unit, 'short', value < 10 ? 1 : 0).format(value)
}

/** A cached number format of `unit` ("12 kB", "48 hours"). */
function unitFormat(locale: Locale, unit: string, display: 'short' | 'long', digits: number): Intl.NumberFormat {
  return keptOrBuilt(
    units,
    `${locale}:${unit}:${display}:${digits}`,
    () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: display, maximumFractionDigits: digits }),
  )
}

const DAY_MS = 86_400_000

/**
 * A whole duration in the largest unit it is a whole number of: days from three days up (two days
 * stay "48 hours", as people say them), else hours, minutes or seconds.
 */
export function formatDuration(locale: Locale, ms: number): string {
  const [value, unit] =
    ms % DAY_MS === 0 && ms >= 3 * DAY_MS
      ? [ms / DAY_MS, 'day']
      : ms % 3_600_000 === 0
        ? [ms / 3_600_000, 'hour']
        : ms % 60_000 === 0
          ? [ms / 60_000, 'minute']
          : [ms / 1000, 'second']
  return unitFormat(locale, unit, 'long', 0).format(value)
}

/** 'One' or 'Other': which of a `…One` / `…Other` pair of strings fits `count` in this language. */
export function pluralSuffix(locale: Locale, count: number): 'One' | 'Other' {
  return keptOrBuilt(plurals, locale, () => new Intl.PluralRules(locale)).select(count) === 'one' ? 'One' : 'Other'
}

/**
 * A URL the pages may put in `src` / `href`: a same-origin path or an https URL. Anything else
 * (`javascript:`, `data:`, protocol-relative `//host`) gives undefined, so nothing is linked.
 */
export function safeUrl(url: string | null): string | undefined {
  if (!url) return undefined
  if (url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\')) return url
  return /^https:\/\//i.test(url) ? url : undefined
}
