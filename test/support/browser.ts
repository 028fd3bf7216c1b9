import fs from 'node:fs'
import {
  chromium,
  type APIResponse,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core'
import { latestSignInCode, mailsTo, type MailingServer } from './outbox.js'

/** The server a holder's browser talks to: a test app, or a server process (its URL and data folder). */
export interface HolderServer extends MailingServer {
  baseUrl: string
}

/**
 * Browser tests (test/e2e/browser): Debian's Chromium driven by playwright-core — never a
 * browser downloaded by `playwright install`. Helpers here: launching, watching a page for CSP
 * violations and script errors, reading sign-in codes from the outbox, and a `Holder` (one
 * browser context = one person) that opens redirect links and signs in like a person would.
 */

/** Where Debian installs Chromium (`apt-get install chromium`; `.ci/run` does it). `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Why the browser tests cannot run here, or undefined when they can (pass it as `describe(…, { skip })`). */
export function browserSkipReason(): string | undefined {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK)
    return undefined
  } catch {
    return `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`
  }
}

/** Launches headless Chromium. Each test then uses its own context(s) (fresh cookies and storage). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 })
}

/** The test server's copy of a redirect link: apps under test say `http://credport.test`, the fragment is what matters. */
export function onServer(link: string, baseUrl: string): string {
  const url = new URL(link)
  const base = new URL(baseUrl)
  url.protocol = base.protocol
  url.host = base.host
  return url.toString()
}

// ------------------------------------------------------------------ watching pages

export interface DocumentResponse {
  url: string
  status: number
}

/** What a page did that a test may want to fail on: CSP violations, uncaught errors, main-frame responses. */
export interface PageWatch {
  /** Console messages about the Content Security Policy, and `securitypolicyviolation` events. */
  cspViolations: string[]
  /** Uncaught exceptions in the page. */
  pageErrors: string[]
  /** Every console message (type: text), for diagnostics. */
  console: string[]
  /** Main-frame document responses, redirects included, in order. */
  documents: DocumentResponse[]
  /** The last main-frame document response that was not a redirect. */
  lastDocument(): DocumentResponse | undefined
}

const CSP_MESSAGE = /content[- ]security[- ]policy/i
const BROWSER_INTERNAL = /\b(chrome-extension|chrome|devtools):\/\//

/** Starts recording on a page (call before the first navigation). */
export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = {
    cspViolations: [],
    pageErrors: [],
    console: [],
    documents: [],
    lastDocument: () => [...watch.documents].reverse().find((d) => d.status < 300 || d.status >= 400),
  }
  page.on('console', (message) => {
    const text = message.text()
    watch.console.push(`${message.type()}: ${text}`)
    if (CSP_MESSAGE.test(text)) watch.cspViolations.push(`${page.url()}: ${text}`)
    // The `securitypolicyviolation` listener below reports through the console.
    if (text.startsWith('CSP-VIOLATION ')) watch.cspViolations.push(text)
  })
  page.on('pageerror', (error) => {
    // Chromium's own PDF viewer (an extension page inside the document frames) has its own
    // internal assertions; only errors of Credport's pages count.
    if (BROWSER_INTERNAL.test(error.stack ?? '')) return
    watch.pageErrors.push(`${page.url()}: ${error.stack || error.message}`)
  })
  page.on('response', (response) => {
    const request = response.request()
    if (request.isNavigationRequest() && request.frame() === page.mainFrame())
      watch.documents.push({ url: response.url(), status: response.status() })
  })
  return watch
}

/**
 * Reports every `securitypolicyviolation` of the context's pages through the console (init
 * scripts are injected by the browser itself, so the pages' own CSP does not block them).
 */
async function reportCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(
        `CSP-VIOLATION ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname}`,
      )
    })
  })
}

// ------------------------------------------------------------------ a holder in a browser

export interface HolderOptions extends BrowserContextOptions {
  /** The holder's address (unique per test). */
  email: string
}

/**
 * One person in their own browser context: its cookies, its page, what the page reported. The
 * page's request context (`fetch`) shares the context's cookies, for cookie-aware requests
 * outside the page (document URLs).
 */
export class Holder {
  private constructor(
    readonly t: HolderServer,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly watch: PageWatch,
    readonly email: string,
  ) {}

  static async create(browser: Browser, t: HolderServer, options: HolderOptions): Promise<Holder> {
    const { email, ...contextOptions } = options
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions })
    context.setDefaultTimeout(10_000)
    context.setDefaultNavigationTimeout(15_000)
    await reportCspViolations(context)
    const page = await context.newPage()
    return new Holder(t, context, page, watchPage(page), email)
  }

  /** An absolute URL on the test server. */
  url(pathOrLink: string): string {
    return /^https?:/.test(pathOrLink)
      ? onServer(pathOrLink, this.t.baseUrl)
      : new URL(pathOrLink, this.t.baseUrl).toString()
  }

  /** Navigates (cookies included) and returns the final document's status. */
  async goto(pathOrUrl: string): Promise<number> {
    const response = await this.page.goto(this.url(pathOrUrl))
    return response?.status() ?? 0
  }

  /**
   * Opens a redirect link as a person would (the partner's link, on the test server): the landing
   * page hands the fragment over by POST; returns the page the browser ends on, with its status.
   */
  async openLink(link: string): Promise<DocumentResponse> {
    const target = new URL(this.url(link))
    const current = new URL(this.page.url())
    // From the same address (a landing page whose hand-off did not happen), only the fragment
    // would change: the browser would not load the page again. Leave it first.
    if (current.origin === target.origin && current.pathname === target.pathname) await this.page.goto('about:blank')
    const before = this.watch.documents.length
    await this.page.goto(target.toString())
    await this.page.waitForURL((url) => !url.pathname.startsWith('/partner/add/'))
    await this.page.waitForLoadState('load')
    const landed = this.watch.documents
      .slice(before)
      .reverse()
      .find((d) => d.status < 300 || d.status >= 400)
    if (!landed) throw new Error(`no final response after opening ${link}`)
    return landed
  }

  /**
   * On the sign-in page: asks for a code, reads it from the outbox, types it; ends where the
   * server sends a signed-in holder. `onCodePage` runs on the code page before the code is typed.
   */
  async signIn(options: { onCodePage?: (page: Page) => Promise<void> } = {}): Promise<string> {
    await this.page.waitForURL((url) => url.pathname === '/holder/sign-in')
    const seen = mailsTo(this.t, this.email).length
    await this.page.locator('#email').fill(this.email)
    await Promise.all([
      this.page.waitForURL('**/holder/sign-in/code'),
      this.page.locator('form[action="/holder/sign-in"] button[type=submit]').click(),
    ])
    const { code } = await latestSignInCode(this.t, this.email, { after: seen })
    await options.onCodePage?.(this.page)
    await this.page.locator('#code').fill(code)
    await Promise.all([
      this.page.waitForURL((url) => !url.pathname.startsWith('/holder/sign-in')),
      this.page.locator('form[action="/holder/sign-in/code"] button[type=submit]').click(),
    ])
    await this.page.waitForLoadState('load')
    return code
  }

  /** Signs in without a link (straight to the sign-in page); ends on the wallet. */
  async signInDirectly(): Promise<void> {
    await this.goto('/holder/sign-in')
    await this.signIn()
  }

  /** On the review page: accept (or decline), confirm, and land on the outcome page (`/holder/done`). */
  async decide(decision: 'accept' | 'decline'): Promise<void> {
    await this.page.waitForURL('**/holder/review')
    await Promise.all([
      this.page.waitForURL('**/holder/review/decision'),
      this.page
        .locator(`form[action="/holder/review/decision"]:has(input[name=decision][value=${decision}]) button`)
        .click(),
    ])
    await Promise.all([
      this.page.waitForURL('**/holder/done'),
      this.page
        .locator(`form[action="/holder/review/decision/confirm"]:has(input[name=decision][value=${decision}]) button`)
        .click(),
    ])
  }

  /** A GET with this holder's cookies, outside the page (for document URLs and the like). */
  fetch(pathOrUrl: string): Promise<APIResponse> {
    return this.page.request.get(this.url(pathOrUrl), { maxRedirects: 0 })
  }

  /** The visible text of the page's main content. */
  mainText(): Promise<string> {
    return this.page.locator('main').innerText()
  }

  async close(): Promise<void> {
    await this.context.close()
  }
}
