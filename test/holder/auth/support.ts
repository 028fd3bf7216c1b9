import { before, beforeEach } from 'node:test'
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { partners, submissions } from '../../../src/db/schema.js'
import type { MailMessage, Mailer } from '../../../src/mail/mailer.js'
import type { TestApp } from '../../support/app.js'
import { codeIn, outboxDir, parseEml, type OutboxMail } from '../../support/outbox.js'

export const SIGN_IN = '/holder/sign-in'
export const CODE = '/holder/sign-in/code'
export const RESEND = '/holder/sign-in/resend'
export const SIGN_OUT = '/holder/sign-out'

/** A unique address for one test. */
export const uniqueEmail = (label = 'holder') => `${label}.${randomUUID().slice(0, 8)}@example.com`

/** Moves past every hourly rate-limit window, so a test does not inherit the previous one's counts. */
export const freshWindow = (t: TestApp) => t.clock.advance(61 * 60 * 1000)

export interface PageResponse {
  status: number
  headers: Headers
  text: string
  location: string | null
  /** The `Set-Cookie` lines of this response. */
  setCookies: string[]
}

/** A browser's cookie jar over real HTTP: keeps cookies (ignoring attributes other than Max-Age=0), never follows redirects. */
export class Browser {
  readonly cookies = new Map<string, string>()
  constructor(
    private readonly t: TestApp,
    private readonly defaults: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    url: string,
    options: { form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<PageResponse> {
    const headers: Record<string, string> = { ...this.defaults, ...options.headers }
    if (this.cookies.size > 0 && !('cookie' in headers))
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    let body: string | undefined
    if (options.form) {
      body = new URLSearchParams(options.form).toString()
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }
    const response = await fetch(new URL(url, this.t.baseUrl), { method, headers, body, redirect: 'manual' })
    const setCookies = response.headers.getSetCookie()
    for (const line of setCookies) {
      const [pair] = line.split(';')
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      if (/;\s*Max-Age=0(;|$)/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, pair!.slice(eq + 1))
    }
    return {
      status: response.status,
      headers: response.headers,
      text: await response.text(),
      location: response.headers.get('location'),
      setCookies,
    }
  }

  get(url: string, headers?: Record<string, string>) {
    return this.request('GET', url, { headers })
  }

  /** Loads `page`, then posts `form` to `action` with the page's CSRF token. */
  async submit(
    page: string,
    action: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<PageResponse> {
    const loaded = await this.get(page)
    return this.request('POST', action, { form: { _csrf: csrfTokenIn(loaded.text), ...form }, headers })
  }

  post(action: string, form: Record<string, string>, headers?: Record<string, string>) {
    return this.request('POST', action, { form, headers })
  }
}

/** The `_csrf` value of the first form of a page. */
export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match) throw new Error(`no CSRF field in page:\n${html.slice(0, 500)}`)
  return match[1]!
}

/**
 * Opens a holder link as its landing page does: loads the page, then posts the link's fragment
 * (and `extra` fields, such as the browser's `time_zone`) with the page's CSRF token.
 */
export async function openLink(
  browser: Browser,
  link: { path: string; params: Record<string, string> },
  extra: Record<string, string> = {},
): Promise<PageResponse> {
  const landing = await browser.get(`/partner/add/${link.path}`)
  return browser.post('/holder/open', {
    _csrf: csrfTokenIn(landing.text),
    path: link.path,
    client_id: link.params.clientId!,
    content: link.params.content!,
    ...extra,
  })
}

/** The `Set-Cookie` line for `name`, if the response set it. */
export const setCookieLine = (response: PageResponse, name: string) =>
  response.setCookies.find((line) => line.startsWith(`${name}=`))

/** A sign-in mail read back from the outbox folder, with the code in it. */
export interface SignInMail extends OutboxMail {
  code: string
}

/** Reads mails as they arrive in the app's outbox folder. */
export class Outbox {
  private readonly seen = new Set<string>()
  readonly dir: string
  constructor(t: TestApp) {
    this.dir = outboxDir(t)
    this.take()
  }
  /** Mails written since the last call, oldest first. */
  take(): SignInMail[] {
    const files = fs.existsSync(this.dir)
      ? fs
          .readdirSync(this.dir)
          .filter((f) => f.endsWith('.eml'))
          .sort()
      : []
    const fresh = files.filter((f) => !this.seen.has(f))
    fresh.forEach((f) => this.seen.add(f))
    return fresh.map((f) => {
      const file = path.join(this.dir, f)
      const mail = parseEml(fs.readFileSync(file, 'utf8'), file)
      return { ...mail, code: codeIn(mail) }
    })
  }
  /** The one mail written since the last call; fails when there is none or more. */
  one(): SignInMail {
    const mails = this.take()
    if (mails.length !== 1) throw new Error(`expected one new mail, found ${mails.length}`)
    return mails[0]!
  }
}

/**
 * The common setup of a holder-auth test file: before each test, `set` gets the app, moved past
 * the sign-in rate-limit window, and its outbox with nothing left unread.
 */
export function beforeEachHolderTest(use: () => TestApp, set: (t: TestApp, outbox: Outbox) => void): void {
  let outbox: Outbox
  before(() => {
    outbox = new Outbox(use())
  })
  beforeEach(() => {
    const t = use()
    freshWindow(t)
    outbox.take()
    set(t, outbox)
  })
}

/** Signs a new browser in through the pages; returns it with the mail it received. */
export async function signedInBrowser(
  t: TestApp,
  outbox: Outbox,
  email = uniqueEmail(),
  headers: Record<string, string> = {},
) {
  const browser = new Browser(t, headers)
  const requested = await browser.submit(SIGN_IN, SIGN_IN, { email })
  if (requested.status !== 303) throw new Error(`sign-in request failed: ${requested.status}`)
  const mail = outbox.one()
  const verified = await browser.submit(CODE, CODE, { code: mail.code })
  if (verified.status !== 303) throw new Error(`code check failed: ${verified.status}`)
  return { browser, mail, verified, email }
}

/** A mailer keeping messages in memory (for domain-level tests), optionally failing. */
export function memoryMailer(options: { fail?: Error } = {}): Mailer & { sent: MailMessage[] } {
  const sent: MailMessage[] = []
  return {
    kind: 'outbox',
    sent,
    async send(message) {
      if (options.fail) throw options.fail
      sent.push(message)
      return { location: `/tmp/outbox/${sent.length}.eml` }
    },
    async close() {},
  }
}

/** A logger recording every line (as JSON text) for assertions. */
export function captureLog(): { log: FastifyBaseLogger; lines: string[] } {
  const lines: string[] = []
  const write = (level: string) => (first: unknown, second?: unknown) =>
    lines.push(
      JSON.stringify({
        level,
        ...(typeof first === 'object' ? first : { msg: first }),
        ...(second === undefined ? {} : { msg: second }),
      }),
    )
  const log = {
    level: 'info',
    fatal: write('fatal'),
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    trace: write('trace'),
    silent: () => {},
    child: () => log,
  }
  return { log: log as unknown as FastifyBaseLogger, lines }
}

/** A submission row to point a session at (the smallest one the schema allows). */
export async function makeSubmission(t: TestApp): Promise<string> {
  const partnerId = randomUUID()
  const id = randomUUID()
  await t.deps.db.insert(partners).values({ id: partnerId, name: 'Test partner' })
  await t.deps.db.insert(submissions).values({
    id,
    partnerId,
    clientId: 'client',
    partnerRef: id,
    envelope: 'v2',
    redirectPath: '/holder/add',
    bodyHash: 'x',
    expiresAt: new Date(t.clock.now().getTime() + 48 * 3600 * 1000),
  })
  return id
}
