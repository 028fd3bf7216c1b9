import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, test } from 'node:test'
import { promisify } from 'node:util'
import { planGroups, TOP_LEVEL_AWAIT, writeGroupModules } from '../../scripts/test-groups.mjs'
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

test('quick files are grouped in path order up to the limit; long, marked, awaiting and importing ones run alone', () => {
  const seconds: Record<string, number> = {
    'a/1.test.ts': 4,
    'a/2.test.ts': 6,
    'a/3.test.ts': 8,
    'b/1.test.ts': 3,
    'b/awaits.test.ts': 1,
    'b/imports.test.ts': 1,
    'b/long.test.ts': 16,
    'b/own.test.ts': 1,
    'c/1.test.ts': 3,
  }
  writeFiles(Object.fromEntries(Object.keys(seconds).map((name) => [name, "import 'node:test'\n"])))
  writeFiles({
    'b/own.test.ts': "// test-runner: own process (changes process.env)\nimport 'node:test'\n",
    'b/awaits.test.ts': "import 'node:test'\nconst server = await startServer()\n",
    'b/imports.test.ts': "import { helper } from './1.test.js'\n",
  })
  const files = Object.keys(seconds).reverse()
  const { alone, groups } = planGroups(work, files, (file: string) => seconds[file]!, 20)
  assert.deepEqual(groups, [
    ['a/1.test.ts', 'a/2.test.ts', 'a/3.test.ts'],
    ['b/1.test.ts', 'c/1.test.ts'],
  ])
  assert.deepEqual([...alone].sort(), ['b/awaits.test.ts', 'b/imports.test.ts', 'b/long.test.ts', 'b/own.test.ts'])
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

test('a group whose member ends the process early fails, naming the members that did not finish', async () => {
  writeFiles({
    'exit/first.test.ts': [
      "import { after, test } from 'node:test'",
      "test('passes', () => {})",
      'after(() => process.exit(0))',
    ].join('\n'),
    'exit/second.test.ts': ["import { test } from 'node:test'", "test('never runs', () => {})"].join('\n'),
  })
  const dir = path.join(work, 'exit-modules')
  fs.mkdirSync(dir)
  const module = writeGroupModules(work, dir, [['exit/first.test.ts', 'exit/second.test.ts']])[0]!
  const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', module], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, NODE_TEST_CONTEXT: undefined },
  }).then(
    () => undefined,
    (error: { code?: number; stderr?: string }) => error,
  )
  assert.ok(failed, 'the process exits with a failure')
  assert.equal(failed.code, 1)
  assert.match(
    failed.stderr ?? '',
    /ended before these files' suites finished: exit\/first\.test\.ts, exit\/second\.test\.ts\n/,
  )
})

test('the helpers test files share have no top-level await (it would mix members of a group up)', () => {
  const helpers = fs
    .readdirSync(path.join(PROJECT_ROOT, 'test'), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx|mjs)$/.test(file) && !/\.test\.ts$/.test(file))
    // The runner's set-up script, run once in a process of its own before the tests.
    .filter((file) => file !== path.join('support', 'global-setup.ts'))
  assert.ok(helpers.length > 10, helpers.join(', '))
  for (const file of helpers) {
    assert.doesNotMatch(fs.readFileSync(path.join(PROJECT_ROOT, 'test', file), 'utf8'), TOP_LEVEL_AWAIT, `test/${file}`)
  }
})
