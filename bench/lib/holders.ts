// Signed-in holders for the holder-page rows and the start-up probe: each one is made as a person
// would be, over real HTTP. The partner sends the public batch sample twice and uploads every
// document of both (the small real documents of test/fixtures/documents); the holder opens the first
// link, signs in with the code mailed to DATA_DIR/outbox (SMTP_URL unset), accepts it (its 10
// credentials fill the wallet), then opens the second link and loads its review, which stays open.
// What is kept is the holder's cookies: the load then sends each request with one holder's session.
//
// Every form is posted with the CSRF token of the page that shows it. The sign-in requests come from
// one address, over the limit of sign-in codes per address and hour: the server trusts X-Forwarded-For
// from loopback (TRUST_PROXY, set by startCredport) and each holder's requests name an address of
// their own, as if behind a reverse proxy.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Request as AutocannonRequest } from 'autocannon'
import { latestSignInCode } from '../../test/support/outbox.js'
import { BATCH_PATH, freshBatchBody } from './batch.js'
import type { Load } from './measure.js'
import { ROOT } from './processes.js'

/** What a holder journey needs of a running Credport. */
export interface HolderServer {
  baseUrl: string
  dataDir: string
  accessToken(): Promise<string>
}

/** A signed-in holder: the Cookie header of their browser. */
export interface Holder {
  email: string
  cookie: string
  /** Sizes of their review and wallet pages as last loaded (bytes of HTML). */
  reviewBytes: number
  walletBytes: number
}

const DOCUMENTS: Record<string, string> = {
  'application/pdf': 'test/fixtures/documents/tiny.pdf',
  'image/png': 'test/fixtures/documents/pixel.png',
  'image/jpeg': 'test/fixtures/documents/pixel.jpg',
}
const documentCache = new Map<string, Buffer>()
function documentFor(contentType: string): Buffer {
  const file = DOCUMENTS[contentType]
  if (!file) throw new Error(`no sample document of type ${contentType}`)
  let bytes = documentCache.get(file)
  if (!bytes) {
    bytes = readFileSync(path.join(ROOT, file))
    documentCache.set(file, bytes)
  }
  return bytes
}

interface PageResponse {
  status: number
  text: string
  location: string | null
}

/** A browser's cookie jar over real HTTP; never follows redirects. */
class Browser {
  private readonly cookies = new Map<string, string>()
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async request(method: string, url: string, form?: Record<string, string>): Promise<PageResponse> {
    const headers: Record<string, string> = { ...this.headers }
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader()
    let body: string | undefined
    if (form) {
      body = new URLSearchParams(form).toString()
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }
    const response = await fetch(new URL(url, this.baseUrl), {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(60_000),
    })
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0]!
      const eq = pair.indexOf('=')
      if (/;\s*Max-Age=0(;|$)/i.test(line)) this.cookies.delete(pair.slice(0, eq))
      else this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
    return { status: response.status, text: await response.text(), location: response.headers.get('location') }
  }

  /** Loads `page` and posts `form` to `action` with the page's CSRF token. */
  async submit(page: string, action: string, form: Record<string, string>): Promise<PageResponse> {
    const loaded = await this.expect('GET', page, 200)
    return this.request('POST', action, { _csrf: csrfTokenIn(loaded.text, page), ...form })
  }

  async expect(method: string, url: string, status: number, form?: Record<string, string>): Promise<PageResponse> {
    const response = await this.request(method, url, form)
    if (response.status !== status)
      throw new Error(
        `${method} ${url} answered ${response.status} (${response.location ?? response.text.slice(0, 200)}), not ${status}`,
      )
    return response
  }
}

function csrfTokenIn(html: string, page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1]
  if (!token) throw new Error(`no CSRF field in ${page}`)
  return token
}

/** The partner sends the batch sample with fresh ids and uploads its four documents; returns its holder link. */
async function batchWithDocuments(server: HolderServer, token: string): Promise<URL> {
  const response = await fetch(server.baseUrl + BATCH_PATH, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: freshBatchBody(),
    signal: AbortSignal.timeout(60_000),
  })
  const text = await response.text()
  if (response.status !== 201) throw new Error(`POST ${BATCH_PATH} answered ${response.status}: ${text.slice(0, 300)}`)
  const created = JSON.parse(text) as {
    redirect_uri: string
    asset_uploads?: Array<{ url: string; content_type: string }>
  }
  for (const link of created.asset_uploads ?? []) {
    // The link carries PUBLIC_URL; send it to the address the server listens on.
    const url = new URL(link.url)
    const put = await fetch(new URL(url.pathname + url.search, server.baseUrl), {
      method: 'PUT',
      headers: { 'content-type': link.content_type },
      body: new Uint8Array(documentFor(link.content_type)),
      signal: AbortSignal.timeout(60_000),
    })
    const answer = await put.text()
    if (put.status !== 201) throw new Error(`PUT ${url.pathname} answered ${put.status}: ${answer.slice(0, 300)}`)
  }
  return new URL(created.redirect_uri)
}

/** Opens a holder link as its landing page does (its fragment posted with the page's CSRF token). */
async function openLink(browser: Browser, link: URL): Promise<PageResponse> {
  const fragment = new URLSearchParams(link.hash.slice(1))
  const linkPath = link.pathname.replace(/^\/partner\/add\//, '')
  return browser.submit(link.pathname, '/holder/open', {
    path: linkPath,
    client_id: fragment.get('clientId') ?? '',
    content: fragment.get('content') ?? '',
  })
}

/** Accepts the submission shown on the review page (decision, then confirmation). */
async function acceptReview(browser: Browser): Promise<void> {
  const review = await browser.expect('GET', '/holder/review', 200)
  const submission = /name="submission" value="([^"]+)"/.exec(review.text)?.[1]
  if (!submission) throw new Error('no submission field on the review page')
  const confirm = await browser.expect('POST', '/holder/review/decision', 200, {
    _csrf: csrfTokenIn(review.text, '/holder/review'),
    decision: 'accept',
    submission,
  })
  const done = await browser.expect('POST', '/holder/review/decision/confirm', 303, {
    _csrf: csrfTokenIn(confirm.text, '/holder/review/decision'),
    decision: 'accept',
    submission,
  })
  if (done.location !== '/holder/done') throw new Error(`accepting led to ${done.location}, not /holder/done`)
}

/**
 * One holder's whole journey (see the file's head); `index` picks the address their requests come
 * from. Resolves with their cookies once their wallet holds 10 credentials and a review is open.
 */
export async function holderJourney(server: HolderServer, index: number, token?: string): Promise<Holder> {
  const partnerToken = token ?? (await server.accessToken())
  const [first, second] = [
    await batchWithDocuments(server, partnerToken),
    await batchWithDocuments(server, partnerToken),
  ]
  const address = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`
  const browser = new Browser(server.baseUrl, { 'x-forwarded-for': address, 'accept-language': 'en' })
  const email = `bench.holder.${index}.${Date.now().toString(36)}@example.com`

  const opened = await openLink(browser, first)
  if (opened.location !== '/holder/sign-in') throw new Error(`opening a link led to ${opened.location}`)
  const asked = await browser.submit('/holder/sign-in', '/holder/sign-in', { email })
  if (asked.status !== 303) throw new Error(`asking for a sign-in code answered ${asked.status}`)
  const { code } = await latestSignInCode({ config: { dataDir: server.dataDir } }, email, { timeoutMs: 30_000 })
  const verified = await browser.submit('/holder/sign-in/code', '/holder/sign-in/code', { code })
  if (verified.status !== 303) throw new Error(`the sign-in code answered ${verified.status}`)
  await acceptReview(browser)

  const reopened = await openLink(browser, second)
  if (reopened.location !== '/holder/review') throw new Error(`opening the second link led to ${reopened.location}`)
  const review = await browser.expect('GET', '/holder/review', 200)
  // The summary in English (the holder's Accept-Language): every document has arrived.
  if (!/All 4 received/.test(review.text)) throw new Error('the review page does not say that all 4 documents arrived')
  const wallet = await browser.expect('GET', '/holder/wallet', 200)
  const rows = new Set(wallet.text.match(/href="\/holder\/wallet\/[^"?#]+"/g) ?? []).size
  if (rows !== 10) throw new Error(`the wallet lists ${rows} credentials, not 10`)
  return {
    email,
    cookie: browser.cookieHeader(),
    reviewBytes: Buffer.byteLength(review.text),
    walletBytes: Buffer.byteLength(wallet.text),
  }
}

/** `count` holders, made `parallel` at a time. */
export async function makeHolders(server: HolderServer, count: number, parallel = 5): Promise<Holder[]> {
  const token = await server.accessToken()
  const holders: Holder[] = new Array(count)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      for (let i = next++; i < count; i = next++) holders[i] = await holderJourney(server, i + 1, token)
    }),
  )
  return holders
}

/**
 * GET of a holder page, each request with the next holder's cookies in turn (autocannon
 * setupRequest): with as many connections as holders, every holder has about one request in flight.
 */
export function holderPageLoad(page: string, holders: readonly Holder[]): Load {
  let turn = 0
  const request: AutocannonRequest = {
    method: 'GET',
    path: page,
    setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: holders[turn++ % holders.length]!.cookie } }),
  }
  return { method: 'GET', path: page, headers: { cookie: holders[0]!.cookie }, requests: [request] }
}
