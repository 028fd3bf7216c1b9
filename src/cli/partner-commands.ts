import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
// The SDK's parts, not its index: the index also exports `validate`, whose schemas the CLI never
// needs and whose loading took about a third of every command's start.
import { createClient, type CredportClient } from '../client/client.js'
import {
  CredportAuthError,
  CredportError,
  CredportProblemError,
  CredportTimeoutError,
  CredportWaitError,
} from '../client/errors.js'
import type { CredentialType, NotFoundStatus, SubmissionStatus, V2Response } from '../client/types.js'

/**
 * The partner commands of the `credport` binary: `token`, `submit`, `status`, `wait` (and `webhooks …`,
 * in webhook-commands.ts). They use the
 * client SDK (src/client/) for every request; this file only reads files, prints and sets exit codes.
 */

/** What the exit code of a partner command says (README, "Partner commands"). */
export const EXIT = {
  ok: 0,
  /** Anything else: the server unreachable, a 5xx, a bug. */
  failed: 1,
  /** Wrong usage or configuration: a missing variable, an unreadable or invalid file, an unknown asset id. */
  usage: 2,
  /** The client credentials were refused by the token endpoint. */
  auth: 3,
  /** The server refused the request (a 4xx problem: invalid body, missing scope, conflict, too large). */
  refused: 4,
  /** An id is not one of the partner's submissions. */
  notFound: 5,
  /** `wait`: the time ran out. */
  timeout: 6,
  /** `wait --until verified`: the submission ended otherwise (declined or expired). */
  ended: 7,
  /** `submit`: the submission was accepted but a document upload failed. */
  upload: 8,
  /** `webhooks listen`: the port could not be opened (in use, or not allowed). */
  listen: 9,
} as const

/** An error that already says which exit code it means. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

/** The exit code for an error thrown by a partner command. */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CliError) return error.exitCode
  if (error instanceof CredportAuthError) return EXIT.auth
  if (error instanceof CredportProblemError) {
    if (error.status === 404) return EXIT.notFound
    return error.status < 500 ? EXIT.refused : EXIT.failed
  }
  if (error instanceof CredportTimeoutError) return EXIT.timeout
  if (error instanceof CredportWaitError) return EXIT.ended
  if (error instanceof CredportError) return EXIT.failed
  return EXIT.failed
}

export const print = (line = ''): void => {
  process.stdout.write(`${line}\n`)
}
export const printJson = (value: unknown) => print(JSON.stringify(value))

/** The partner client of `CREDPORT_URL`, `CREDPORT_CLIENT_ID` and `CREDPORT_CLIENT_SECRET`. */
export function clientFromEnv(env: NodeJS.ProcessEnv = process.env): CredportClient {
  const missing = ['CREDPORT_CLIENT_ID', 'CREDPORT_CLIENT_SECRET'].filter((name) => !env[name])
  if (missing.length > 0) throw new CliError(`set ${missing.join(' and ')} (and CREDPORT_URL)`, EXIT.usage)
  return createClient({
    baseUrl: env.CREDPORT_URL ?? 'http://127.0.0.1:8080',
    clientId: env.CREDPORT_CLIENT_ID!,
    clientSecret: env.CREDPORT_CLIENT_SECRET!,
  })
}

function readJsonFile(file: string): unknown {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT.usage)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new CliError(`${file} is not JSON: ${(error as Error).message}`, EXIT.usage)
  }
}

/** `--asset <asset_id>=<path>`, repeatable. */
function parseAsset(value: string, previous: Array<[string, string]> = []): Array<[string, string]> {
  const at = value.indexOf('=')
  if (at <= 0 || at === value.length - 1)
    throw new CliError(`--asset takes <asset_id>=<path>, got "${value}"`, EXIT.usage)
  return [...previous, [value.slice(0, at), value.slice(at + 1)]]
}

const units = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} kB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`

/** A progress bar on standard error, drawn only on a terminal. */
function progressBar(label: string): { update(sent: number, total: number | undefined): void; done(): void } {
  if (!process.stderr.isTTY) return { update() {}, done() {} }
  const width = 30
  return {
    update(sent, total) {
      const ratio = total ? Math.min(1, sent / total) : 0
      const filled = Math.round(ratio * width)
      const bar = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}]`
      process.stderr.write(`\r${label} ${bar} ${total ? `${Math.round(ratio * 100)}%` : ''} ${units(sent)}\x1b[K`)
    },
    done() {
      process.stderr.write('\n')
    },
  }
}

function describeStatus(s: SubmissionStatus | NotFoundStatus): string {
  if (s.status === 'not_found') return `${s.id}  not_found`
  const assets = s.items.flatMap((item) => item.assets)
  const states = new Map<string, number>()
  for (const asset of assets) states.set(asset.state, (states.get(asset.state) ?? 0) + 1)
  const documents = [...states].map(([state, n]) => `${n} ${state}`).join(', ')
  return [
    `${s.id}  ${s.status}`,
    s.opened_at ? `opened ${s.opened_at}` : 'not opened',
    s.finalized_at ? `finalized ${s.finalized_at}` : undefined,
    assets.length ? `documents: ${documents}` : undefined,
  ]
    .filter(Boolean)
    .join('  ')
}

/** Parses `90`, `90s`, `5m`, `1h` into milliseconds. */
function duration(text: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text.trim())
  if (!match) throw new CliError(`not a duration: ${text} (e.g. 90s, 10m, 1h)`, EXIT.usage)
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h']
  return Number(match[1]) * factor
}

/** Adds the partner commands to the `credport` program. */
export function addPartnerCommands(program: Command): void {
  program
    .command('token')
    .description('print an access token of the partner client (CREDPORT_CLIENT_ID, CREDPORT_CLIENT_SECRET)')
    .option('--json', 'print {access_token, expires_at, scope}')
    .action(async (options: { json?: boolean }) => {
      const token = await clientFromEnv().token()
      if (options.json) {
        printJson({
          access_token: token.accessToken,
          expires_at: token.expiresAt.toISOString(),
          scope: token.scopes.join(' '),
        })
      } else print(token.accessToken)
    })

  program
    .command('submit')
    .description('submit a batch (v2, or legacy v1) or, with --type, one credential; upload its documents')
    .argument('<file.json>', 'the request body')
    .option('--asset <asset_id=path>', 'upload this file as the document asset_id (repeatable)', parseAsset)
    .option('--type <credential_type>', 'the file is one credential of this type, not a batch')
    .option('--api-version <1|2>', 'with --type: the API version of the file (default 2)', '2')
    .option('--json', 'print one JSON object per result: the submission, then each upload')
    .action(
      async (
        file: string,
        options: { asset?: Array<[string, string]>; type?: string; apiVersion: string; json?: boolean },
      ) => {
        const body = readJsonFile(file)
        const assets = options.asset ?? []
        for (const [, assetPath] of assets) {
          if (!fs.existsSync(assetPath)) throw new CliError(`no such file: ${assetPath}`, EXIT.usage)
        }
        const client = clientFromEnv()
        let created: Partial<V2Response> & { redirect_uri: string }
        if (options.type) {
          const version = options.apiVersion === '1' ? 1 : 2
          created =
            version === 1
              ? await client.submit(options.type as 'education', body as never, { version: 1 })
              : await client.submit(options.type as CredentialType, body as never)
        } else {
          created = await client.submitBatch(body as never)
        }
        if (options.json) printJson(created)
        else print(created.redirect_uri)

        const uploads = created.asset_uploads ?? []
        let failed = 0
        for (const [assetId, assetPath] of assets) {
          const upload = uploads.find((u) => u.asset_id === assetId)
          if (!upload) {
            const known = uploads.map((u) => u.asset_id).join(', ') || 'none'
            throw new CliError(
              `${assetId} has no upload link in the answer (already uploaded, or not an asset of ${file}; links: ${known})`,
              EXIT.usage,
            )
          }
          const blob = await fs.openAsBlob(assetPath)
          const bar = progressBar(`${assetId} (${path.basename(assetPath)})`)
          try {
            await client.uploadAsset(upload, blob, { onProgress: (sent, total) => bar.update(sent, total) })
            bar.done()
            if (options.json) printJson({ asset_id: assetId, uploaded: true, bytes: blob.size })
            else if (!process.stderr.isTTY) process.stderr.write(`${assetId}: uploaded ${units(blob.size)}\n`)
          } catch (error) {
            bar.done()
            failed++
            const message = error instanceof Error ? error.message : String(error)
            if (options.json) printJson({ asset_id: assetId, uploaded: false, error: message })
            process.stderr.write(`credport: upload of ${assetId} failed: ${message}\n`)
          }
        }
        if (failed > 0) throw new CliError(`${failed} upload${failed === 1 ? '' : 's'} failed`, EXIT.upload)
      },
    )

  program
    .command('status')
    .description('status of submissions by your ids, per credential and document')
    .argument('<id...>', 'submission ids (v1 id or v2 credential_id)')
    .option('--json', 'print one JSON object per id')
    .action(async (ids: string[], options: { json?: boolean }) => {
      const statuses = await clientFromEnv().statusMany(ids)
      for (const s of statuses) {
        if (options.json) printJson(s)
        else print(describeStatus(s))
      }
      const missing = statuses.filter((s) => s.status === 'not_found').length
      if (missing > 0) process.exitCode = EXIT.notFound
    })

  program
    .command('wait')
    .description('wait until a submission is opened, verified or final (polls the status)')
    .argument('<id>', 'submission id')
    .option('--until <state>', 'opened | verified | final', 'final')
    .option('--timeout <duration>', 'give up after (e.g. 90s, 10m, 1h)', '10m')
    .option('--interval <duration>', 'time between polls', '2s')
    .option('--json', 'print the final status as one JSON object')
    .action(async (id: string, options: { until: string; timeout: string; interval: string; json?: boolean }) => {
      if (!['opened', 'verified', 'final'].includes(options.until)) {
        throw new CliError(`--until takes opened, verified or final, not ${options.until}`, EXIT.usage)
      }
      const timeoutMs = duration(options.timeout)
      const intervalMs = duration(options.interval)
      try {
        const reached = await clientFromEnv().waitFor(id, {
          until: options.until as 'opened' | 'verified' | 'final',
          timeoutMs,
          intervalMs,
        })
        if (options.json) printJson(reached)
        else print(describeStatus(reached))
      } catch (error) {
        if (error instanceof CredportTimeoutError || error instanceof CredportWaitError) {
          const last = error.lastStatus as SubmissionStatus
          if (options.json) printJson(last)
          else print(describeStatus(last))
        }
        throw error
      }
    })
}
