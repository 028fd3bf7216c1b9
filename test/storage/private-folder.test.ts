import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { makePrivate } from '../../src/storage/private-folder.js'

const mode = (file: string) => fs.lstatSync(file).mode & 0o7777

describe('makePrivate (the data folder at start)', {
  skip: process.platform === 'win32' && 'no permission bits',
}, () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-private-'))
  after(() => fs.rmSync(parent, { recursive: true, force: true }))

  it('creates a missing folder 0700', () => {
    const folder = path.join(parent, 'new', 'data')
    assert.equal(makePrivate(folder), 0)
    assert.equal(mode(folder), 0o700)
  })

  it('removes every group and other bit below the folder, keeps the owner’s, and follows no link out of it', () => {
    const folder = path.join(parent, 'loose')
    fs.mkdirSync(path.join(folder, 'pglite', 'pg_wal'), { recursive: true })
    fs.writeFileSync(path.join(folder, 'pglite', 'pg_wal', '000000010000000000000001'), 'key')
    fs.writeFileSync(path.join(folder, 'admin-token'), 'token')
    fs.writeFileSync(path.join(folder, 'tool'), '#!/bin/sh\n')
    const outside = path.join(parent, 'outside')
    fs.mkdirSync(outside)
    fs.writeFileSync(path.join(outside, 'shared.txt'), 'not ours to change')
    fs.symlinkSync(outside, path.join(folder, 'link'))
    for (const dir of [folder, path.join(folder, 'pglite'), path.join(folder, 'pglite', 'pg_wal'), outside])
      fs.chmodSync(dir, 0o777)
    fs.chmodSync(path.join(folder, 'pglite', 'pg_wal', '000000010000000000000001'), 0o666)
    fs.chmodSync(path.join(folder, 'admin-token'), 0o640)
    fs.chmodSync(path.join(folder, 'tool'), 0o755)
    fs.chmodSync(path.join(outside, 'shared.txt'), 0o666)

    assert.equal(makePrivate(folder), 6)
    assert.equal(mode(folder), 0o700)
    assert.equal(mode(path.join(folder, 'pglite')), 0o700)
    assert.equal(mode(path.join(folder, 'pglite', 'pg_wal')), 0o700)
    assert.equal(mode(path.join(folder, 'pglite', 'pg_wal', '000000010000000000000001')), 0o600)
    assert.equal(mode(path.join(folder, 'admin-token')), 0o600)
    assert.equal(mode(path.join(folder, 'tool')), 0o700)
    assert.equal(mode(outside), 0o777)
    assert.equal(mode(path.join(outside, 'shared.txt')), 0o666)
    assert.equal(makePrivate(folder), 0, 'nothing left to tighten')
  })

  it('refuses a path that is not a folder', () => {
    const file = path.join(parent, 'a-file')
    fs.writeFileSync(file, '')
    assert.throws(
      () => makePrivate(file),
      /the data folder \S+a-file cannot be made private to this user: it is not a folder$/,
    )
  })
})
