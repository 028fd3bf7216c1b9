import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { after, describe, it } from 'node:test'
import { loadConfig } from '../../src/config.js'
import { longestWriteMs, perform } from '../../src/jobs/purge-upload-leftovers.js'
import { ManualClock } from '../../src/lib/clock.js'
import { FsBlobStore } from '../../src/storage/fs-blob-store.js'

describe('purge-upload-leftovers job', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-leftovers-'))
  const blobs = new FsBlobStore(root)
  const incoming = path.join(root, '.incoming')
  after(() => fs.rmSync(root, { recursive: true, force: true }))
  const config = loadConfig({ DATA_DIR: root })
  const minute = 60_000

  /** A partial file as a process killed mid-upload leaves it, last written `ageMs` ago. */
  function leftover(name: string, ageMs: number): void {
    const file = path.join(incoming, name)
    fs.writeFileSync(file, Buffer.alloc(4096, 'x'))
    const when = new Date(Date.now() - ageMs)
    fs.utimesSync(file, when, when)
  }

  it('waits longer than the longest request an upload can take (REQUEST_TIMEOUT), and than a document fetch', () => {
    assert.ok(longestWriteMs(config) > config.requestTimeoutMs)
    assert.ok(longestWriteMs(loadConfig({ REQUEST_TIMEOUT: '10s' })) > 15_000)
    assert.ok(longestWriteMs(loadConfig({ REQUEST_TIMEOUT: '1h' })) > 60 * minute)
  })

  it('removes old leftovers and keeps a fresh one and an upload in progress, which then completes', async () => {
    const longest = longestWriteMs(config)
    leftover('old-1', longest + minute)
    leftover('old-2', 24 * 60 * minute)
    leftover('fresh', longest - minute)
    // A real upload in progress: its temporary file exists and is being written.
    const body = new PassThrough()
    const put = blobs.put('submissions/s/in-progress', body)
    body.write(Buffer.alloc(1024, 'a'))
    const inProgress = await (async () => {
      for (;;) {
        const names = fs.readdirSync(incoming).filter((name) => !['old-1', 'old-2', 'fresh'].includes(name))
        if (names.length === 1) return names[0]!
        await sleep(5)
      }
    })()

    const clock = new ManualClock(new Date())
    assert.equal(await perform({ blobs, clock, config }, { limit: 100 }), 2)
    assert.deepEqual(fs.readdirSync(incoming).sort(), ['fresh', inProgress].sort())

    body.end(Buffer.alloc(1024, 'b'))
    assert.equal((await put).bytes, 2048)
    assert.deepEqual(fs.readdirSync(incoming), ['fresh'])

    // Once it is older than any write can be, the fresh one goes too.
    clock.advance(2 * minute)
    assert.equal(await perform({ blobs, clock, config }, { limit: 100 }), 1)
    assert.deepEqual(fs.readdirSync(incoming), [])
  })

  it('removes at most `limit` in one pass (the runner runs another at once while there are more)', async () => {
    for (let i = 0; i < 5; i++) leftover(`old-${i}`, 24 * 60 * minute)
    const clock = new ManualClock(new Date())
    assert.equal(await perform({ blobs, clock, config }, { limit: 2 }), 2)
    assert.equal(fs.readdirSync(incoming).length, 3)
    assert.equal(await perform({ blobs, clock, config }, { limit: 100 }), 3)
    assert.equal(await perform({ blobs, clock, config }, { limit: 100 }), 0)
  })
})
