import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { promisify } from 'node:util'
import { planGroups, writeGroupModules } from '../../scripts/test-groups.mjs'
import { PROJECT_ROOT } from '../support/server-process.js'

/** The runner's groups of quick test files (scripts/test-groups.mjs): who shares a process, and how. */

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-groups-'))
after(() => fs.rmSync(work, { recursive: true, force: true }))

function writeFiles(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(work, name)), { recursive: true })
    fs.writeFileSync(path.join(work, name), text)
  }
}

test('quick files are grouped in path order up to the limit; long ones and marked ones run alone', () => {
  const seconds: Record<string, number> = {
    'a/1.test.ts': 4,
    'a/2.test.ts': 6,
    'a/3.test.ts': 8,
    'b/1.test.ts': 3,
    'b/long.test.ts': 16,
    'b/own.test.ts': 1,
    'c/1.test.ts': 3,
  }
  writeFiles(Object.fromEntries(Object.keys(seconds).map((name) => [name, "import 'node:test'\n"])))
  writeFiles({ 'b/own.test.ts': "// test-runner: own process (changes process.env)\nimport 'node:test'\n" })
  const files = Object.keys(seconds).reverse()
  const { alone, groups } = planGroups(work, files, (file: string) => seconds[file]!, 20)
  assert.deepEqual(groups, [
    ['a/1.test.ts', 'a/2.test.ts', 'a/3.test.ts'],
    ['b/1.test.ts', 'c/1.test.ts'],
  ])
  assert.deepEqual([...alone].sort(), ['b/long.test.ts', 'b/own.test.ts'])
  const none = planGroups(work, files, (file: string) => seconds[file]!, 0)
  assert.deepEqual(none.groups, [])
  assert.deepEqual([...none.alone].sort(), [...files].sort())
})

test('in a group, each file is a suite of its own: its top-level hooks run around its own tests only', async () => {
  writeFiles({
    'package.json': '{ "type": "module" }\n',
    'g/first.test.ts': [
      "import { after, before, test } from 'node:test'",
      "before(() => console.log('first: before'))",
      "after(() => console.log('first: after'))",
      'await new Promise((resolve) => setTimeout(resolve, 20))',
      "test('first test', () => console.log('first: test'))",
    ].join('\n'),
    'g/second.test.ts': [
      "import { before, test } from 'node:test'",
      "before(() => console.log('second: before'))",
      "test('second test', () => console.log('second: test'))",
    ].join('\n'),
  })
  const dir = path.join(work, 'modules')
  fs.mkdirSync(dir)
  const module = writeGroupModules(work, dir, [['g/first.test.ts', 'g/second.test.ts']])[0]!
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'group-01.json'), 'utf8')), {
    name: 'group-01',
    members: ['g/first.test.ts', 'g/second.test.ts'],
  })
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', module],
    // A test runner of its own, not a child of this one (NODE_TEST_CONTEXT would make it one).
    { cwd: PROJECT_ROOT, env: { ...process.env, NODE_TEST_CONTEXT: undefined, TEST_FILE_STATE_DIR: work } },
  )
  const order = stdout.split('\n').filter((line) => /^(first|second): /.test(line))
  assert.deepEqual(order, ['first: before', 'first: test', 'first: after', 'second: before', 'second: test'])
  assert.match(stdout, /▶ g\/first\.test\.ts\n\s+✔ first test/)
  assert.match(stdout, /▶ g\/second\.test\.ts\n\s+✔ second test/)
  const members = fs
    .readFileSync(path.join(work, 'members.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).file)
  assert.deepEqual(members, ['g/first.test.ts', 'g/second.test.ts'])
})
