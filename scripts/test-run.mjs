// The test driver scripts/test.mjs starts (under `node --import tsx`): Node's test runner through
// its API, `run()`, because `node --test` sorts the files by name and this runs them in the order
// given (longest first). Each file runs in a process of its own, as with `node --test`, with this
// process's `--import` options; the output is the same reporter's.
//
//   node --import tsx scripts/test-run.mjs '{"files":[…],"concurrency":3,"reporter":"spec"|path,
//                                            "namePatterns":[…],"only":false}'
//
// Exit code 1 when a test (or a test file) failed, as `node --test`.

import { isAbsolute, resolve } from 'node:path'
import { run } from 'node:test'
import builtinReporters from 'node:test/reporters'
import { pathToFileURL } from 'node:url'

const { files, concurrency, reporter, namePatterns, only } = JSON.parse(process.argv[2] ?? '{}')

/** A reporter by name (spec, dot, tap…) or module path, made as `node --test-reporter` makes it. */
async function loadReporter(name) {
  let found = Object.hasOwn(builtinReporters, name) ? builtinReporters[name] : undefined
  if (!found) {
    const module = await import(isAbsolute(name) || name.startsWith('.') ? pathToFileURL(resolve(name)).href : name)
    found = module.default ?? module
  }
  return found?.prototype && Object.getOwnPropertyDescriptor(found.prototype, 'constructor') ? new found() : found
}

const stream = run({
  files,
  concurrency,
  ...(only ? { only: true } : {}),
  ...(namePatterns?.length ? { testNamePatterns: namePatterns } : {}),
})
stream.on('test:fail', (data) => {
  if (!data.todo) process.exitCode = 1
})
stream.compose(await loadReporter(reporter)).pipe(process.stdout)
