import assert from 'node:assert/strict'
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { promisify } from 'node:util'
import { distState, sourcesHash } from '../../bin/launch.js'
import { emptyPostgresDatabase } from '../support/databases.js'
import { freePort, PROJECT_ROOT, readDemoClient } from '../support/server-process.js'

/**
 * `npm run build` in a copy of the project (never in the repository), then the build as the
 * Dockerfile's last stage holds it: package.json, the lock file, dist/, bin/ and examples/, with
 * `npm ci --omit=dev` (no tsx, no TypeScript), run with `node dist/server.js` on PGlite and on
 * PostgreSQL, and the CLI from it.
 */

const run = promisify(execFile)
const BUILD_INPUTS = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tsconfig.client.json',
]
const BUILD_FOLDERS = ['bin', 'scripts', 'src', 'examples']
const RUNTIME_FILES = ['package.json', 'package-lock.json']
const RUNTIME_FOLDERS = ['bin', 'dist', 'examples']
const VERSION = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string })
  .version

/** The environment of a process of the production copy: nothing of the test runner's loaders. */
function productionEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', ...extra }
  for (const name of ['NODE_OPTIONS', 'DATABASE_URL', 'CREDPORT_RUN', 'ADMIN_TOKEN', 'CREDPORT_ADMIN_TOKEN']) {
    if (!(name in extra)) delete env[name]
  }
  return env
}

interface Server {
  child: ChildProcessWithoutNullStreams
  url: string
  stdout(): string
  stop(): Promise<void>
}

/** `node dist/server.js` in `cwd`, ready once it logs where it listens. */
async function startDist(cwd: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort()
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd,
    env: productionEnv({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }),
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`node dist/server.js exited with ${child.exitCode}: ${err}`)
    const demo = out.indexOf('Demo partner created')
    if (out.includes('listening on') && (demo < 0 || out.indexOf('\n', demo) > 0)) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`node dist/server.js did not start in 60 s: ${out}\n${err}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

function copyInto(from: string, to: string, files: string[], folders: string[]) {
  fs.mkdirSync(to, { recursive: true })
  for (const file of files) fs.copyFileSync(path.join(from, file), path.join(to, file))
  for (const folder of folders) fs.cpSync(path.join(from, folder), path.join(to, folder), { recursive: true })
}

/** Every bare module specifier (`from 'x'`, `import('x')`) of the JavaScript files under `dir`. */
function importedPackages(dir: string): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.js')) continue
    const text = fs.readFileSync(path.join(dir, file), 'utf8')
    for (const match of text.matchAll(/\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const specifier = (match[1] ?? match[2])!
      if (specifier.startsWith('.') || specifier.startsWith('node:')) continue
      const name = specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/')
      if (!found.has(name)) found.set(name, file)
    }
  }
  return found
}

describe('the production build: npm run build, then node dist/server.js with production dependencies only', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-build-'))
  const source = path.join(work, 'source') // a clone with its development dependencies
  const app = path.join(work, 'app') // the Dockerfile's last stage
  const servers: Server[] = []

  before(async () => {
    copyInto(PROJECT_ROOT, source, BUILD_INPUTS, BUILD_FOLDERS)
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(source, 'node_modules'))
    await run(process.execPath, ['scripts/build.mjs'], { cwd: source, timeout: 300_000 })
    copyInto(source, app, RUNTIME_FILES, RUNTIME_FOLDERS)
    // From npm's cache when it has the packages (it does after the project's own npm ci).
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      env: productionEnv({}),
      timeout: 300_000,
    })
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.stop()))
    fs.rmSync(work, { recursive: true, force: true })
  })

  test('dist/ holds the server, the CLI, the SDK with its types, and every other file of src/ at its place', () => {
    const dist = path.join(source, 'dist')
    for (const file of ['server.js', 'cli/main.js', 'client/client/index.js', 'client/client/index.d.ts']) {
      assert.ok(fs.existsSync(path.join(dist, file)), `dist/${file}`)
    }
    const assets = fs
      .readdirSync(path.join(source, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => fs.statSync(path.join(source, 'src', file)).isFile() && !/\.tsx?$/.test(file))
    for (const required of ['modules/holder/static/holder.css', 'db/migrations/meta/_journal.json']) {
      assert.ok(assets.includes(required), `src/${required} is an asset`)
    }
    for (const asset of assets) assert.ok(fs.existsSync(path.join(dist, asset)), `dist/${asset} (copied from src/)`)
    const views = fs.readdirSync(path.join(source, 'src'), { recursive: true, encoding: 'utf8' })
    for (const view of views.filter((file) => file.endsWith('.tsx'))) {
      assert.ok(fs.existsSync(path.join(dist, view.replace(/\.tsx$/, '.js'))), `${view} compiled`)
    }
    const stamp = JSON.parse(fs.readFileSync(path.join(dist, 'build-stamp.json'), 'utf8'))
    assert.equal(stamp.mode, 'tsc')
    assert.equal(stamp.sources, sourcesHash(source))
  })

  test('TypeBox and jose are bundled into dist/vendor/ with their licences: the server and CLI import the bundles, the SDK the packages', () => {
    const dist = path.join(source, 'dist')
    for (const name of ['typebox', 'jose']) {
      assert.ok(fs.existsSync(path.join(dist, 'vendor', name, 'index.mjs')), `dist/vendor/${name}/index.mjs`)
      assert.match(fs.readFileSync(path.join(dist, 'vendor', name, 'LICENSE'), 'utf8'), /MIT/)
    }
    // The SDK's own compile is dist/client/<folder>/…; dist/client/*.js are the server build's.
    const isSdk = (file: string) => /^client\/[^/]+\//.test(file)
    const packageImport = /(?:\bfrom\s*|\bimport\s*\(\s*)['"](typebox|jose)(?:\/[^'"]*)?['"]/
    let sdkImports = 0
    for (const file of fs.readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.js') || file.startsWith('vendor/')) continue
      const imports = packageImport.test(fs.readFileSync(path.join(dist, file), 'utf8'))
      if (isSdk(file)) sdkImports += imports ? 1 : 0
      else assert.ok(!imports, `dist/${file} imports TypeBox or jose as installed`)
    }
    assert.ok(sdkImports > 0, 'the SDK imports the installed TypeBox')
    assert.match(fs.readFileSync(path.join(dist, 'config.js'), 'utf8'), /from '\.\/vendor\/typebox\/index\.mjs'/)
  })

  test('every package the compiled code imports is a runtime dependency; tsx and TypeScript are not installed', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'))
    const dependencies = Object.keys(manifest.dependencies)
    const imported = importedPackages(path.join(app, 'dist'))
    assert.ok(imported.has('fastify') && imported.has('@electric-sql/pglite'), 'the scan finds imports')
    for (const [name, file] of imported) {
      assert.ok(dependencies.includes(name), `dist/${file} imports ${name}, which is not in dependencies`)
    }
    for (const dev of ['tsx', 'typescript', 'esbuild']) {
      assert.ok(!fs.existsSync(path.join(app, 'node_modules', dev)), `${dev} is installed with --omit=dev`)
    }
  })

  test('node dist/server.js on PGlite: ready, its stylesheet and API document, a token and a partner call', async () => {
    const dataDir = path.join(work, 'data-pglite')
    const server = await startDist(app, { DATA_DIR: dataDir })
    servers.push(server)
    assert.match(server.stdout(), new RegExp(`credport ${VERSION.replaceAll('.', '\\.')} listening on`))

    const ready = await fetch(`${server.url}/readyz`)
    assert.equal(ready.status, 200)
    const css = await fetch(`${server.url}/holder/static/holder.css`)
    assert.equal(css.status, 200)
    assert.ok((await css.text()).length > 1000, 'the holder stylesheet, read from dist/')
    const api = await fetch(`${server.url}/openapi.json`)
    assert.equal(api.status, 200, 'the API document, whose examples are read from examples/')

    const { client_id, client_secret } = readDemoClient(dataDir)
    const token = await fetch(`${server.url}/api/partner/v1/oauth/token.json`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id, client_secret }),
    })
    assert.equal(token.status, 200)
    const { access_token } = (await token.json()) as { access_token: string }
    const me = await fetch(`${server.url}/api/partner/v1/me.json`, {
      headers: { authorization: `Bearer ${access_token}` },
    })
    assert.equal(me.status, 200)

    // The CLI of the same copy, from dist/ (there are no sources to run): its version, its help,
    // and an admin call to this server with the token the server wrote into its data folder.
    const cli = (args: string[]) =>
      run(process.execPath, ['bin/credport.js', ...args], {
        cwd: app,
        env: productionEnv({ CREDPORT_URL: server.url, DATA_DIR: dataDir }),
      })
    assert.equal((await cli(['--version'])).stdout.trim(), VERSION)
    assert.match((await cli(['--help'])).stdout, /Usage: credport/)
    assert.match((await cli(['partners', 'list'])).stdout, /Demo/)
  })

  test('the OpenCerts verifier runs its worker from dist/ (opencerts-worker.js, no tsx)', async () => {
    const script = path.join(app, 'verify-opencert.mjs')
    fs.writeFileSync(
      script,
      [
        `import fs from 'node:fs'`,
        `import { OpenCertVerifier } from './dist/modules/assets/opencerts-verifier.js'`,
        `const verifier = new OpenCertVerifier()`,
        `const inspection = await verifier.inspect(new Uint8Array(fs.readFileSync(process.argv[2])))`,
        `await verifier.close()`,
        `console.log(inspection.verification.status)`,
      ].join('\n'),
    )
    const fixture = path.join(PROJECT_ROOT, 'test/fixtures/opencerts/batch-member.json')
    const { stdout } = await run(process.execPath, [script, fixture], { cwd: app, env: productionEnv({}) })
    assert.equal(stdout.trim(), 'verified')
  })

  test('node dist/server.js on an empty PostgreSQL database: migrates from dist/ and is ready', async () => {
    const server = await startDist(app, {
      DATA_DIR: path.join(work, 'data-postgres'),
      DATABASE_URL: await emptyPostgresDatabase(),
    })
    servers.push(server)
    assert.match(server.stdout(), /database postgres/)
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200)
  })

  test('the launchers run dist/ while it matches the sources, and the sources through tsx once they change', async () => {
    assert.equal(distState(app), 'fresh', 'a copy without sources runs its build')
    assert.equal(distState(source), 'fresh')
    const version = (env: Record<string, string> = {}) =>
      run(process.execPath, ['bin/credport.js', '--version'], { cwd: source, env: { ...process.env, ...env } })
    const marker = 'running src/cli/main.ts'
    assert.doesNotMatch((await version()).stderr, new RegExp(marker))

    // After the shebang: `--version` exits while the program parses its arguments, at the end.
    const main = path.join(source, 'src/cli/main.ts')
    const [shebang, ...rest] = fs.readFileSync(main, 'utf8').split('\n')
    fs.writeFileSync(main, [shebang, `process.stderr.write('${marker}\\n')`, ...rest].join('\n'))
    assert.equal(distState(source), 'stale')
    const fromSources = await version()
    assert.equal(fromSources.stdout.trim(), VERSION)
    assert.match(fromSources.stderr, new RegExp(marker))
    assert.doesNotMatch((await version({ CREDPORT_RUN: 'dist' })).stderr, new RegExp(marker))
  })
})
