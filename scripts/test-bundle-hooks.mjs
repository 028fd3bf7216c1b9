// Module hooks of a test file's process (registered by scripts/test-file-process.mjs): a bare
// import of a package scripts/bundle-packages.mjs bundled for this run (`typebox`, `typebox/value`…)
// resolves to the bundle's file; everything else goes on to tsx's hooks as before.

let bundles = {}

export function initialize(data) {
  bundles = data?.bundles ?? {}
}

export async function resolve(specifier, context, nextResolve) {
  const url = bundles[specifier]
  if (url) return { url, format: 'module', shortCircuit: true }
  return nextResolve(specifier, context)
}
