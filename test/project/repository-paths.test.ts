import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'

/**
 * The repository stands on its own: a plain clone has nothing beside it, so no file in it (code,
 * tests, benchmarks, docs, CI script) may read or name a path outside it. The public sample
 * payloads the tests need live in test/fixtures/samples.
 *
 * The rules are precise rather than broad, so that no allowlist is needed:
 * - a sibling checkout of the spec or the seed documents (`shared` followed by `/spec` or `/seeds`);
 * - an absolute path of a build machine: the work, home and root folders, a macOS home, a Windows
 *   drive; system paths a Debian CI legitimately uses (the PostgreSQL server binaries, Chromium,
 *   the temporary folder) are not of this kind and pass; a URL path such as `example.com/home/x`
 *   does not start a token, so it passes too;
 * - a relative path made of `..` steps that, resolved from the folder of the file that contains
 *   it (how imports, `new URL(…, import.meta.url)` and Markdown links resolve), leaves the root;
 * - a `..` argument right after a `ROOT` variable: one step above the repository's root folder.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

interface Finding {
  file: string
  line: number
  rule: string
  text: string
}

/** A path starts a token: not inside a word, a host name, a `$VAR/…` or a `~/…`. */
const TOKEN_START = String.raw`(?<![\w.~$})-])`

const LINE_RULES: { rule: string; pattern: RegExp }[] = [
  { rule: 'names the spec or seed documents beside the repository', pattern: /\bshared[\\/]+(?:spec|seeds)\b/i },
  {
    rule: 'absolute path of a build machine',
    pattern: new RegExp(`${TOKEN_START}/(?:work|home|root|Users)/`),
  },
  { rule: 'absolute Windows path', pattern: /(?<![\w:])[A-Z]:(?:\\{1,2}|\/)[\w.$ -]/ },
  { rule: 'one step above the repository root', pattern: /\b\w*ROOT\b\s*,\s*['"`]\.\.['"`]/ },
]

/** A relative path of `..` steps (`../../x`, or a bare `..` as one path argument). */
const RELATIVE_ESCAPE = new RegExp(
  `${TOKEN_START}((?:\\.\\./)+[^\\s'"\`()\\[\\]<>,;|*]*|\\.\\.(?=['"\`\\s)\\]]|$))`,
  'g',
)

/** The findings of one text file, `file` being its path relative to the root. */
export function scanText(file: string, text: string): Finding[] {
  const findings: Finding[] = []
  const dir = path.join(ROOT, path.dirname(file))
  text.split(/\r?\n/).forEach((lineText, index) => {
    const line = index + 1
    for (const { rule, pattern } of LINE_RULES) {
      if (pattern.test(lineText)) findings.push({ file, line, rule, text: lineText.trim() })
    }
    for (const match of lineText.matchAll(RELATIVE_ESCAPE)) {
      const target = path.resolve(dir, match[1]!)
      if (target !== ROOT && !target.startsWith(ROOT + path.sep)) {
        findings.push({ file, line, rule: `relative path ${match[1]} leaves the repository`, text: lineText.trim() })
      }
    }
  })
  return findings
}

/** The files of the repository: tracked and new (not ignored) ones, as git lists them. */
function gitFiles(): string[] | undefined {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    })
    return out.split('\0').filter(Boolean)
  } catch {
    return undefined // no git, or not a git work tree (an exported archive)
  }
}

/** Without git: every file under the root but those .gitignore's simple patterns (`dir/`, `*.ext`) exclude. */
function walkFiles(): string[] {
  const ignoreFile = path.join(ROOT, '.gitignore')
  const patterns = fs.existsSync(ignoreFile)
    ? fs
        .readFileSync(ignoreFile, 'utf8')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#'))
    : []
  const dirs = new Set(['.git', ...patterns.filter((p) => p.endsWith('/')).map((p) => p.replace(/^\/|\/$/g, ''))])
  const suffixes = patterns.filter((p) => p.startsWith('*.')).map((p) => p.slice(1))
  const found: string[] = []
  const visit = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name
      if (entry.isDirectory()) {
        if (!dirs.has(entry.name) && !dirs.has(rel)) visit(rel)
      } else if (entry.isFile() && !suffixes.some((suffix) => entry.name.endsWith(suffix))) {
        found.push(rel)
      }
    }
  }
  visit('')
  return found
}

/** The content of a text file, or undefined for a binary one (a NUL byte in its first 8 KiB) or a deleted one. */
function readText(file: string): string | undefined {
  let bytes: Buffer
  try {
    bytes = fs.readFileSync(path.join(ROOT, file))
  } catch {
    return undefined
  }
  if (bytes.subarray(0, 8192).includes(0)) return undefined
  return bytes.toString('utf8')
}

const describeFinding = (f: Finding) => `${f.file}:${f.line}: ${f.rule}\n    ${f.text.slice(0, 160)}`

test('no file of the repository reads or names a path outside it', () => {
  const files = gitFiles() ?? walkFiles()
  assert.ok(files.length > 50, `only ${files.length} files found under ${ROOT}`)
  const findings: Finding[] = []
  let scanned = 0
  for (const file of files) {
    const text = readText(file)
    if (text === undefined) continue
    scanned++
    findings.push(...scanText(file, text))
  }
  assert.ok(scanned > 50, `only ${scanned} text files scanned`)
  assert.deepEqual(
    findings.map(describeFinding),
    [],
    `${findings.length} line(s) name a path outside the repository:\n${findings.map(describeFinding).join('\n')}`,
  )
})

test('without git, walking the tree finds every file git lists', (t) => {
  const listed = gitFiles()
  if (!listed) return t.skip('git is not available here')
  const walked = new Set(walkFiles())
  const missing = listed.filter((file) => fs.existsSync(path.join(ROOT, file)) && !walked.has(file))
  assert.deepEqual(missing, [])
})

test('the rules catch what they are for, and pass system paths and URL paths', () => {
  // Assembled from parts so that this file does not itself contain what it looks for.
  const p = (...parts: string[]) => parts.join('/')
  const caught = (file: string, line: string) => scanText(file, line).length > 0
  const sibling = p('..', '..', '..', 'shared', 'spec', 'examples')

  assert.ok(caught('test/support/x.ts', `const dir = path.resolve(here, '${sibling}')`))
  const up = "'..'"
  assert.ok(caught('bench/lib/x.ts', `path.resolve(ROOT, ${up}, 'shared', 'spec')`))
  assert.ok(caught('bench/lib/x.ts', `path.resolve(REPO_ROOT, ${up}, 'other-checkout')`))
  assert.ok(caught('docs/x.md', `the sample (\`${p('', 'work', 'shared', 'x.json')}\`)`))
  assert.ok(caught('docs/x.md', `see ${p('shared', 'seeds')} for the pages`))
  assert.ok(caught('README.md', `cd ${p('', 'home', 'dev', 'credport')}`))
  assert.ok(caught('README.md', `cp ${p('', 'root', '.cache', 'x')} .`))
  assert.ok(caught('README.md', `open ${p('', 'Users', 'me', 'credport')}`))
  assert.ok(caught('README.md', `open file://${p('', 'work', 'main', 'x')}`))
  assert.ok(caught('README.md', `open ${['C:', 'Users', 'me'].join('\\')}`))
  assert.ok(caught('test/a/b.test.ts', `new URL('${p('..', '..', '..', 'x.json')}', import.meta.url)`))
  assert.ok(caught('README.md', `[spec](${p('..', 'spec.md')})`))
  assert.ok(caught('README.md', `cd ..`))

  assert.ok(!caught('test/a/b.test.ts', `import { x } from '${p('..', '..', 'src', 'x.js')}'`))
  assert.ok(!caught('src/a/b/c/d.ts', `import { x } from '${p('..', '..', '..', 'db', 'x.js')}'`))
  assert.ok(!caught('bench/lib/x.ts', `path.resolve(here, '..', '..')`))
  assert.ok(!caught('.ci/run', `for dir in ${p('', 'usr', 'lib', 'postgresql', '*', 'bin')}; do`))
  assert.ok(!caught('.ci/run', `if [[ -x ${p('', 'usr', 'bin', 'chromium')} ]]; then`))
  assert.ok(!caught('test/support/x.mjs', `mkdtempSync('${p('', 'tmp', 'credport-pg-')}')`))
  assert.ok(!caught('README.md', `https://example.com${p('', 'home', 'work', 'x')}`))
  assert.ok(!caught('src/x.ts', `const route = '${p('', 'partner', 'add', 'education')}'`))
  assert.ok(!caught('src/x.ts', `const home = \`\${HOME}${p('', 'work', 'x')}\``))
  assert.ok(!caught('README.md', 'Loading… (wait...)'))
})
