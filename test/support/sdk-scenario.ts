import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PROJECT_ROOT, readDemoClient, startServerProcess, freePort, type ServerProcess } from './server-process.js'

/**
 * Shared by the runtime tests of `credport/client` (test/client/runtimes.test.ts,
 * test/client/browser.test.ts): a server process with its demo partner, the configuration of
 * test/client/runtime-scenario.js (the public v2 batch sample, a broken copy, a webhook signed here
 * with node:crypto) and the summary the scenario must answer in every runtime.
 */

export const SCENARIO_FILE = path.join(PROJECT_ROOT, 'test/client/runtime-scenario.js')
export const DIST_CLIENT = path.join(PROJECT_ROOT, 'dist/client')

export interface ScenarioConfig {
  baseUrl: string
  clientId: string
  clientSecret: string
  credentialId: string
  sample: Record<string, unknown>
  broken: Record<string, unknown>
  webhook: { secret: string; headers: Record<string, string>; body: string }
}

export interface ScenarioServer {
  server: ServerProcess
  baseUrl: string
  clientId: string
  clientSecret: string
  stop(): Promise<void>
}

/** One real server process (PGlite in a fresh data folder) whose links name its own address. */
export async function startScenarioServer(): Promise<ScenarioServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-runtimes-'))
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const server = await startServerProcess({ DATA_DIR: dataDir, PORT: String(port), PUBLIC_URL: baseUrl })
  const { client_id, client_secret } = readDemoClient(dataDir)
  return {
    server,
    baseUrl,
    clientId: client_id,
    clientSecret: client_secret,
    async stop() {
      await server.stop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

const SAMPLE = path.join(PROJECT_ROOT, 'test/fixtures/samples/v2-batch.json')

/** The scenario's input for one runtime (`label` makes its credential id unique). */
export function scenarioConfig(server: ScenarioServer, label: string, baseUrl = server.baseUrl): ScenarioConfig {
  const sample = JSON.parse(fs.readFileSync(SAMPLE, 'utf8'))
  const broken = structuredClone(sample)
  delete broken.education_items[0].fields.education_provider
  broken.education_items[0].fields.conferral_year = 'soon'
  const credentialId = `${label}-${randomUUID()}`
  const secret = `whsec_${randomBytes(24).toString('base64')}`
  const eventId = randomUUID()
  const body = JSON.stringify({
    event_id: eventId,
    type: 'asset.received',
    data: { id: credentialId, status: 'received' },
  })
  const timestamp = String(Math.floor(Date.now() / 1000))
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64')
  const signature = createHmac('sha256', key).update(`${eventId}.${timestamp}.${body}`).digest('base64')
  return {
    baseUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    credentialId,
    sample,
    broken,
    webhook: {
      secret,
      headers: { 'webhook-id': eventId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
      body,
    },
  }
}

/** What the scenario answers when every step worked as it does on Node. */
export function expectedSummary(config: ScenarioConfig) {
  const uploads = ['edu-1', 'micro-1', 'micro-2', 'uc-1'].map((item) => `${config.sample.credential_id}-${item}-asset`)
  return {
    token: true,
    problems: [],
    broken: [
      { pointer: '/education_items/0/fields/education_provider', message: 'is required' },
      { pointer: '/education_items/0/fields/conferral_year', message: 'must be a year in the form YYYY' },
    ],
    redirect: '/partner/add/batch',
    uploads,
    status: 'incomplete',
    items: 10,
    event: { type: 'asset.received', id: config.credentialId },
    forged: 'no_matching_signature',
  }
}
