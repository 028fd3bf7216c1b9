import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import type { Browser } from 'playwright-core'
import { browserSkipReason, launchChromium, watchPage } from '../support/browser.js'
import { compiledClient } from '../support/client-build.js'
import { PROJECT_ROOT } from '../support/server-process.js'
import {
  expectedSummary,
  SCENARIO_FILE,
  scenarioConfig,
  startScenarioServer,
  type ScenarioServer,
} from '../support/sdk-scenario.js'

/**
 * `credport/client` in a browser (Debian's Chromium), no bundler: a page whose import map names
 * the compiled package files and TypeBox's own files, served by a small static server here. The
 * API sends no CORS headers, so a page cannot call it from another origin (checked below); a
 * browser app calls it through its own origin, as this static server does with a same-origin
 * proxy of `/api/` to a real server process. The page runs test/client/runtime-scenario.js: token,
 * validate() of the public batch sample and of a broken copy, submitBatch, status, verifyWebhook
 * (WebCrypto).
 */

const TYPEBOX = path.join(PROJECT_ROOT, 'node_modules/typebox')

/** What the page's import map names: the package's entry and the TypeBox entries it imports. */
const IMPORT_MAP = {
  imports: {
    'credport/client': '/credport/client/index.js',
    typebox: '/typebox/build/index.mjs',
    'typebox/system': '/typebox/build/system/index.mjs',
    'typebox/value': '/typebox/build/value/index.mjs',
  },
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>credport/client</title>
<script type="importmap">${JSON.stringify(IMPORT_MAP)}</script>
<script type="module">
  import * as sdk from 'credport/client'
  import { scenario } from '/scenario.js'
  window.runScenario = (config) => scenario(sdk, config)
  document.body.dataset.ready = 'yes'
</script></head><body></body></html>`

/** A file under `root` for a URL path, or undefined when it leaves `root` or does not exist. */
function fileUnder(root: string, rest: string): string | undefined {
  const file = path.resolve(root, `.${decodeURIComponent(rest)}`)
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return undefined
  return file
}

/** The partner app's origin: the page, the package files, TypeBox, and `/api/` proxied to Credport. */
function startAppServer(packageDir: string, api: string): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://app')
    if (url.pathname.startsWith('/api/')) {
      const upstream = http.request(
        new URL(url.pathname + url.search, api),
        { method: request.method, headers: { ...request.headers, host: new URL(api).host } },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(response)
        },
      )
      upstream.on('error', () => response.writeHead(502).end())
      request.pipe(upstream)
      return
    }
    const file =
      url.pathname === '/scenario.js'
        ? SCENARIO_FILE
        : url.pathname.startsWith('/credport/')
          ? fileUnder(packageDir, url.pathname.slice('/credport'.length))
          : url.pathname.startsWith('/typebox/')
            ? fileUnder(TYPEBOX, url.pathname.slice('/typebox'.length))
            : undefined
    if (url.pathname === '/') response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE)
    else if (file) response.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(file))
    else response.writeHead(404).end()
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

describe('credport/client in Chromium through an import map', { skip: browserSkipReason() }, () => {
  let credport: ScenarioServer
  let app: http.Server
  let appUrl: string
  let browser: Browser
  let packageDir: string
  before(async () => {
    packageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-browser-package-'))
    fs.cpSync(await compiledClient(), packageDir, { recursive: true })
    credport = await startScenarioServer()
    app = await startAppServer(packageDir, credport.baseUrl)
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await new Promise((resolve) => (app ? app.close(resolve) : resolve(undefined)))
    await credport?.stop()
    if (packageDir) fs.rmSync(packageDir, { recursive: true, force: true })
  })

  test('the page imports the compiled package and TypeBox unbundled, and uses it against the server', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const watch = watchPage(page)
      const loaded: string[] = []
      page.on('requestfinished', (request) => loaded.push(new URL(request.url()).pathname))
      await page.goto(`${appUrl}/`)
      await page.waitForSelector('body[data-ready=yes]', { state: 'attached', timeout: 15_000 })

      // Called from the page's origin, the API is out of reach: it sends no CORS headers.
      const direct = await page.evaluate(async (base) => {
        const answer = await fetch(`${base}/api/partner/v1/oauth/token.json`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'client_credentials' }),
        }).catch((error: Error) => error.name)
        return typeof answer === 'string' ? answer : `HTTP ${answer.status}`
      }, credport.baseUrl)
      assert.equal(direct, 'TypeError')
      assert.ok(
        watch.console.some((line) => line.includes('blocked by CORS policy')),
        watch.console.join('\n'),
      )

      // Through the app's own origin it is: every step of the scenario in the browser.
      const config = scenarioConfig(credport, 'browser', appUrl)
      const summary = await page.evaluate(
        (input) => (window as unknown as { runScenario(c: unknown): Promise<unknown> }).runScenario(input),
        config,
      )
      assert.deepEqual(summary, expectedSummary(config))
      assert.ok(loaded.includes('/credport/client/index.js'))
      assert.ok(loaded.includes('/typebox/build/index.mjs'))
      assert.ok(loaded.includes('/api/partner/v1/oauth/token.json'))
      assert.deepEqual(watch.pageErrors, [])
    } finally {
      await context.close()
    }
  })
})
