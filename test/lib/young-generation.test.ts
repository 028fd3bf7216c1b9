import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'

const MODULE = pathToFileURL(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/lib/young-generation.ts'),
).href

/**
 * A burst of surviving allocations (as loading modules is) with the young generation held, then
 * another once it is let go: the young generation's resident MiB after each, from a fresh process.
 */
function youngGenerationAfterBursts(nodeOptions = ''): { held: number; released: number } {
  const script = `
    import v8 from 'node:v8'
    const { holdYoungGeneration, releaseYoungGeneration } = await import(${JSON.stringify(MODULE)})
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size / 2 ** 20
    const burst = () => { let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 200000) keep = [] } }
    holdYoungGeneration()
    burst()
    const held = young()
    releaseYoungGeneration()
    burst()
    console.log(JSON.stringify({ held, released: young() }))
  `
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  })
  assert.equal(result.status, 0, result.stderr)
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!)
}

test('held, the young generation stays at its first size through a burst; let go, it grows again', () => {
  const { held, released } = youngGenerationAfterBursts()
  assert.ok(held <= 4, `held: ${held} MiB`)
  assert.ok(released >= 8, `released: ${released} MiB`)
})

test('after start-up, a burst of under a second leaves it held; two seconds of a busy server let it grow', () => {
  // Bursts of surviving allocations that give the event loop a turn every few milliseconds, as a
  // server's requests do: 0.6 s of them (a holder's first visit), a pause, then 3 s (steady traffic).
  const script = `
    import v8 from 'node:v8'
    const { holdYoungGeneration, releaseWhenBusy } = await import(${JSON.stringify(MODULE)})
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size / 2 ** 20
    const busyFor = async (ms) => {
      const end = Date.now() + ms
      let keep = []
      while (Date.now() < end) {
        for (let i = 0; i < 20000; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 200000) keep = [] }
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
    holdYoungGeneration()
    releaseWhenBusy()
    await busyFor(600)
    const afterVisit = young()
    await new Promise((resolve) => setTimeout(resolve, 600))
    await busyFor(3000)
    console.log(JSON.stringify({ afterVisit, afterTraffic: young() }))
  `
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  })
  assert.equal(result.status, 0, result.stderr)
  const { afterVisit, afterTraffic } = JSON.parse(result.stdout.trim().split('\n').at(-1)!)
  assert.ok(afterVisit <= 4, `after a visit: ${afterVisit} MiB`)
  assert.ok(afterTraffic >= 8, `after steady traffic: ${afterTraffic} MiB`)
})

test("an operator's own young-generation flag is left alone", () => {
  // With --max-semi-space-size=8 the hold does nothing: the burst grows the young generation to the operator's size.
  const { held } = youngGenerationAfterBursts('--max-semi-space-size=8')
  assert.ok(held >= 8, `held: ${held} MiB`)
})
