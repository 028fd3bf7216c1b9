import assert from 'node:assert/strict'
import { execFile, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { after, before, describe, test } from 'node:test'
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
 * `credport/client` under Bun and Deno (and Node, the reference), as a consumer gets it: the
 * compiled package resolved through its package.json `exports` from a project's node_modules, no
 * tsx. Each runtime runs test/client/runtime-scenario.js against one real server process: token,
 * validate() of the public batch sample and of a broken copy, submitBatch, status, verifyWebhook
 * (WebCrypto) of a signed and a forged delivery. The binaries are the npm packages `bun` and
 * `deno` (devDependencies); a runtime that cannot run here is skipped with the reason.
 */

const run = promisify(execFile)
const BIN = path.join(PROJECT_ROOT, 'node_modules/.bin')

interface Runtime {
  name: string
  bin: string
  args: (file: string) => string[]
}

const RUNTIMES: Runtime[] = [
  { name: 'node', bin: process.execPath, args: (file) => [file] },
  { name: 'bun', bin: path.join(BIN, 'bun'), args: (file) => ['run', file] },
  {
    name: 'deno',
    bin: path.join(BIN, 'deno'),
    // Node-style resolution from the project's package.json and node_modules (Deno 2 does it when both exist).
    args: (file) => ['run', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', file],
  },
]

/** Why a runtime cannot run here (its binary is missing or does not start), or undefined. */
function skipReason(runtime: Runtime): string | undefined {
  try {
    execFileSync(runtime.bin, ['--version'], { stdio: 'pipe', timeout: 30_000 })
    return undefined
  } catch (error) {
    return `${runtime.name} cannot run on this machine (${runtime.bin}: ${(error as Error).message.split('\n')[0]}); install the devDependencies (npm ci)`
  }
}

describe('credport/client in other runtimes than Node', () => {
  let server: ScenarioServer
  let consumer: string
  before(async () => {
    // An installed copy of the package: its package.json (exports), its compiled files, and its
    // dependencies (TypeBox) reachable from it, as npm lays them out.
    consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-runtimes-consumer-'))
    const installed = path.join(consumer, 'node_modules/credport')
    fs.mkdirSync(installed, { recursive: true })
    fs.copyFileSync(path.join(PROJECT_ROOT, 'package.json'), path.join(installed, 'package.json'))
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(installed, 'node_modules'))
    fs.cpSync(await compiledClient(), path.join(installed, 'dist/client'), { recursive: true })
    fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ type: 'module', private: true }))
    fs.copyFileSync(SCENARIO_FILE, path.join(consumer, 'scenario.js'))
    server = await startScenarioServer()
  })
  after(async () => {
    await server?.stop()
    if (consumer) fs.rmSync(consumer, { recursive: true, force: true })
  })

  for (const runtime of RUNTIMES) {
    test(`${runtime.name} imports credport/client through exports: token, validate, submitBatch, status, verifyWebhook`, {
      skip: skipReason(runtime),
    }, async () => {
      const config = scenarioConfig(server, runtime.name)
      const file = `use-${runtime.name}.js`
      fs.writeFileSync(
        path.join(consumer, file),
        [
          `import * as sdk from 'credport/client'`,
          `import { scenario } from './scenario.js'`,
          `const config = ${JSON.stringify(config)}`,
          'console.log(JSON.stringify(await scenario(sdk, config)))',
        ].join('\n'),
      )
      const home = fs.mkdtempSync(path.join(consumer, `home-${runtime.name}-`))
      const { stdout } = await run(runtime.bin, runtime.args(file), {
        cwd: consumer,
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '', HOME: home, DENO_DIR: path.join(home, 'deno'), NO_COLOR: '1' },
      })
      assert.deepEqual(JSON.parse(stdout), expectedSummary(config))
    })
  }
})
