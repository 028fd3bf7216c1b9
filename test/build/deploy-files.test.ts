import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, test } from 'node:test'
import { EnvSchema } from '../../src/config.js'
import { PROJECT_ROOT } from '../support/server-process.js'

/**
 * The Dockerfile and compose.yaml cannot be run here (no Docker): their key lines are checked
 * instead, and every file the image copies and every variable the example sets exist.
 */

const read = (file: string) => fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8')

/** The lines of the block under `key:` (indented deeper than it), from the first such key. */
function block(text: string, key: string): string[] {
  const lines = text.split('\n')
  const start = lines.findIndex((line) => line.trimStart().startsWith(`${key}:`))
  assert.ok(start >= 0, `${key}: in compose.yaml`)
  const indent = lines[start]!.length - lines[start]!.trimStart().length
  const body: string[] = []
  for (const line of lines.slice(start + 1)) {
    if (line.trim() && line.length - line.trimStart().length <= indent) break
    body.push(line)
  }
  return body
}

describe('the deployment files', () => {
  test('Dockerfile: multi-stage, production dependencies only, non-root, HEALTHCHECK on /readyz, node dist/server.js, two malloc arenas', () => {
    const dockerfile = read('Dockerfile')
    const stages = dockerfile.split('\n').filter((line) => /^FROM\s/.test(line))
    assert.ok(stages.length >= 2, 'several stages')
    assert.match(dockerfile, /^RUN npm ci --omit=dev/m)
    assert.match(dockerfile, /^RUN npm run build$/m)
    const last = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '))
    const user = /^USER\s+(\S+)/m.exec(last)?.[1]
    assert.ok(user && user !== 'root' && user !== '0', `the last stage runs as a non-root user (USER ${user})`)
    assert.match(last, /^HEALTHCHECK\s[\s\S]*\/readyz/m)
    assert.match(last, /^CMD \["node", "dist\/server\.js"\]$/m)
    assert.match(last, /^\s+MALLOC_ARENA_MAX=2$/m, 'the image caps glibc malloc arenas (README, "Memory")')
    assert.match(last, /^COPY --from=build \/app\/dist \.\/dist$/m)

    // Every file the image copies from the build context exists and is not excluded by .dockerignore.
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1]!.split(/\s+/))
    assert.ok(copied.includes('src') && copied.includes('package-lock.json'))
    for (const source of copied) {
      assert.ok(fs.existsSync(path.join(PROJECT_ROOT, source)), `COPY ${source}: no such file in the repository`)
      const top = source.split('/')[0]!
      assert.ok(!ignored.includes(top) && !ignored.includes(source), `.dockerignore excludes ${source}`)
    }
    for (const excluded of ['node_modules', 'dist', 'data', '.git']) assert.ok(ignored.includes(excluded), excluded)

    // The build stage runs `npm run build`: every local module the build script imports (and they
    // import) is copied into it.
    const buildStage = dockerfile.slice(0, dockerfile.indexOf('\nFROM ', dockerfile.indexOf('FROM ') + 1))
    const copiedToBuild = [...buildStage.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/))
    const pending = ['scripts/build.mjs']
    for (const seen = new Set<string>(); pending.length > 0; ) {
      const file = pending.pop()!
      if (seen.has(file)) continue
      seen.add(file)
      assert.ok(
        copiedToBuild.some((source) => file === source || file.startsWith(`${source}/`)),
        `the build stage does not copy ${file}, which the build imports`,
      )
      for (const [, specifier] of read(file).matchAll(/(?:from\s+|import\()'(\.{1,2}\/[^']+)'/g))
        pending.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier!)))
    }
  })

  test('compose.yaml: PostgreSQL, two Credport instances behind a proxy that checks /readyz, MinIO', () => {
    const compose = read('compose.yaml')
    const services = block(compose, 'services')
      .filter((line) => /^ {2}[a-z][\w-]*:\s*$/.test(line))
      .map((line) => line.trim().slice(0, -1))
    assert.deepEqual(services.sort(), ['credport-a', 'credport-b', 'minio', 'postgres', 'proxy'])
    for (const instance of ['credport-a', 'credport-b']) {
      assert.deepEqual(
        block(compose, instance).map((line) => line.trim()),
        ['<<: *credport', ''],
      )
    }
    assert.match(compose, /reverse_proxy credport-a:8080 credport-b:8080/)
    assert.match(compose, /health_uri \/readyz/)
    assert.match(compose, /DATABASE_URL: postgres:\/\/credport:.*@postgres:5432\/credport/)
    // The MinIO setup is written out, commented: BLOB_STORE=s3 at the MinIO service, variables the server reads.
    assert.doesNotMatch(compose, /not built yet|planned/i)
    const s3Lines = [...compose.matchAll(/^\s+# ((?:BLOB_STORE|S3_[A-Z_]+)): (.+)$/gm)]
    assert.deepEqual(
      s3Lines.map((m) => m[1]),
      ['BLOB_STORE', 'S3_ENDPOINT', 'S3_BUCKET', 'S3_FORCE_PATH_STYLE', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'],
    )
    for (const [, name] of s3Lines) assert.ok(name! in EnvSchema.properties, name)
    assert.match(compose, /# S3_ENDPOINT: http:\/\/minio:9000$/m)

    // Every variable the instances are given is one the server (or its CLI) reads.
    const known = new Set([...Object.keys(EnvSchema.properties), 'CREDPORT_ADMIN_TOKEN'])
    const environment = block(compose.slice(compose.indexOf('x-credport:')), 'environment')
      .map((line) => /^\s+([A-Z][A-Z0-9_]*):/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined)
    assert.ok(environment.includes('DATABASE_URL') && environment.includes('WEBHOOK_SECRET_KEY'))
    for (const name of environment) assert.ok(known.has(name), `compose.yaml sets ${name}, which nothing reads`)
  })

  test('dist/ and the build staging folders are ignored by git (and so by Biome)', () => {
    const ignored = read('.gitignore').split('\n')
    assert.ok(ignored.includes('dist/'))
    assert.ok(ignored.includes('.dist-*/'))
    assert.match(read('biome.json'), /"useIgnoreFile": true/)
  })
})
