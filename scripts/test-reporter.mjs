// The test runner's reporter (scripts/test.mjs passes it instead of `spec` when no reporter is
// asked for): Node's spec reporter, plus, just before its summary (`ℹ tests …`, which stays last),
//   - the files the watchdog killed after TEST_FILE_TIMEOUT, by name
//   - the slowest test processes (a file's, or a group's of quick files): each one's wall time from
//     its start to its exit, and the CPU time it and the processes it started used (what limits a
//     run on few cores), as
//     scripts/test-file-process.mjs recorded them in TEST_FILE_STATE_DIR/durations.jsonl
// (TEST_SLOWEST sets how many, default 10; 0 lists none).

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { spec as Spec } from 'node:test/reporters'

const SUMMARY_START = /^tests \d+$/

export function readRecords(dir, name) {
  const path = dir && join(dir, name)
  if (!path || !existsSync(path)) return []
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line)]
      } catch {
        return []
      }
    })
}

function report() {
  const dir = process.env.TEST_FILE_STATE_DIR
  const lines = []
  const killed = readRecords(dir, 'killed.jsonl')
  if (killed.length) {
    lines.push(`✖ test files killed after TEST_FILE_TIMEOUT (${process.env.TEST_FILE_TIMEOUT} s):`)
    for (const { file } of killed) lines.push(`    ${file}`)
    lines.push('')
  }
  const count = Number(process.env.TEST_SLOWEST ?? 10)
  const durations = readRecords(dir, 'durations.jsonl').sort((a, b) => b.ms - a.ms)
  if (count > 0 && durations.length) {
    const shown = durations.slice(0, count)
    const total = durations.reduce((sum, { ms }) => sum + ms, 0)
    const cpuTotal = durations.reduce((sum, { cpuMs }) => sum + (cpuMs ?? 0), 0)
    const s = (ms) => `${(ms / 1000).toFixed(1).padStart(6)} s`
    lines.push(
      `slowest test processes (of ${durations.length}, ${(total / 1000).toFixed(0)} s in all, ${(cpuTotal / 1000).toFixed(0)} s of CPU; wall time of each file's or group's process, CPU time of it and its children):`,
    )
    for (const { file, members, ms, cpuMs } of shown) {
      const name = members ? `${file}: ${members.length} files, ${members[0]} … ${members.at(-1)}` : file
      lines.push(`  ${s(ms)}  ${cpuMs === undefined ? '' : `${s(cpuMs)} CPU  `}${name}`)
    }
    lines.push('')
  }
  return lines.length ? `${lines.join('\n')}\n` : ''
}

/**
 * A Transform around a spec reporter (`spec` builds a plain SpecReporter whatever extends it,
 * so this one holds one and hands it every event).
 */
export default class Reporter extends Transform {
  #spec = new Spec()
  #reported = false

  constructor() {
    super({ writableObjectMode: true })
  }

  _transform(event, encoding, callback) {
    let before = ''
    if (
      !this.#reported &&
      event.type === 'test:diagnostic' &&
      event.data.nesting === 0 &&
      SUMMARY_START.test(event.data.message)
    ) {
      this.#reported = true
      before = report()
    }
    this.#spec._transform(event, encoding, (error, output) => callback(error, before + (output ?? '')))
  }

  _flush(callback) {
    if (typeof this.#spec._flush === 'function') this.#spec._flush(callback)
    else callback()
  }
}
