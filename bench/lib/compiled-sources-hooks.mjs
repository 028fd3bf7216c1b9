// Module hooks of compiled-sources.mjs: a module resolved into src/ is loaded from dist/ instead
// (foo.ts and foo.tsx → foo.js, other files at the same place), as plain ES modules, past tsx.
import { readFile } from 'node:fs/promises'

const ROOT = new URL('../../', import.meta.url).href
const SRC = `${ROOT}src/`
const DIST = `${ROOT}dist/`

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context)
  if (!resolved.url.startsWith(SRC)) return resolved
  return { ...resolved, url: `${DIST}${resolved.url.slice(SRC.length).replace(/\.tsx?$/, '.js')}`, shortCircuit: true }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith(DIST) || !url.endsWith('.js')) return nextLoad(url, context)
  return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true }
}
