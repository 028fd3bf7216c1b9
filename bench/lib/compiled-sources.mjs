// `node --import tsx --import ./bench/lib/compiled-sources.mjs <baseline>.ts`: the baseline's own
// file runs through tsx, but every Credport module it uses (src/…) is loaded from the compiled
// build (dist/…), the same JavaScript the Credport rows run. Without it a baseline that renders
// Credport's views or stores Credport's rows would run tsx's output of them (esbuild wraps every
// function made per request in a `__name` call) against Credport's tsc output: not the same code.
import { register } from 'node:module'

register('./compiled-sources-hooks.mjs', import.meta.url)
