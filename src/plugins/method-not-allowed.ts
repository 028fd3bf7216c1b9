import type { FastifyContextConfig, FastifyInstance } from 'fastify'
import FindMyWay from 'find-my-way'

/** The order of the methods in `Allow`; any other method follows, alphabetically. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

const rank = (method: string) => {
  const i = METHOD_ORDER.indexOf(method)
  return i === -1 ? METHOD_ORDER.length : i
}

const byRank = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b)

/** A router option as Fastify applies it: `routerOptions` first, then the older top-level option. */
function routerOption<
  K extends
    | 'caseSensitive'
    | 'ignoreTrailingSlash'
    | 'ignoreDuplicateSlashes'
    | 'maxParamLength'
    | 'allowUnsafeRegex'
    | 'useSemicolonDelimiter',
>(app: FastifyInstance, key: K): FastifyInstance['initialConfig'][K] {
  const fromRouterOptions = (
    app.initialConfig.routerOptions as Partial<FastifyInstance['initialConfig']> | undefined
  )?.[key]
  return fromRouterOptions ?? app.initialConfig[key]
}

/**
 * The methods each path is served under, for 405 answers (RFC 9110 §15.5.6). Records every route
 * registered after this call (`onRoute`: call it before any route) in a private find-my-way router,
 * Fastify's own, with the same router options, so that a path matches here as it does there. HEAD
 * is listed wherever Fastify serves it (it adds a HEAD route to each GET route). Wildcard routes
 * (`/docs/static/*`) are left out: they match every path below them, most of which they answer
 * 404, so that a POST there stays a 404 (and a catch-all `/*` could not make every POST a 405). The
 * returned function gives the routes a request URL (query string allowed) matches under any
 * method, in `Allow` order, with their config; none for an unknown path.
 */
export function trackRouteMethods(app: FastifyInstance): (url: string) => RouteMatch[] {
  // (find-my-way reads `useSemicolonDelimiter` but its Config type lacks it.)
  const options: FindMyWay.Config<FindMyWay.HTTPVersion.V1> & { useSemicolonDelimiter?: boolean } = {
    caseSensitive: routerOption(app, 'caseSensitive'),
    ignoreTrailingSlash: routerOption(app, 'ignoreTrailingSlash'),
    ignoreDuplicateSlashes: routerOption(app, 'ignoreDuplicateSlashes'),
    maxParamLength: routerOption(app, 'maxParamLength'),
    allowUnsafeRegex: routerOption(app, 'allowUnsafeRegex'),
    useSemicolonDelimiter: routerOption(app, 'useSemicolonDelimiter'),
  }
  const router = FindMyWay(options)
  const methods = new Set<FindMyWay.HTTPMethod>()
  const added = new Set<string>()
  const prefixRoots: Array<[FindMyWay.HTTPMethod, string]> = []
  app.addHook('onRoute', (route) => {
    if (route.url.endsWith('*')) return
    // (Fastify has upper-cased the methods by now.)
    for (const method of [route.method].flat() as FindMyWay.HTTPMethod[]) {
      // The same method and path twice: one route under several constraints (host, version).
      const key = `${method} ${route.url}`
      if (added.has(key)) continue
      added.add(key)
      methods.add(method)
      router.on(method, route.url, () => {}, { config: route.config })
      // Fastify adds `/prefix/` beside the `/prefix` of a plugin's `/` route without calling `onRoute`.
      if (route.routePath === '' && route.prefix !== '') prefixRoots.push([method, `${route.url}/`])
    }
  })
  app.addHook('onReady', async () => {
    for (const [method, url] of prefixRoots) {
      if (!router.hasRoute(method, url) && app.hasRoute({ method, url }))
        router.on(method, url, () => {}, { config: undefined })
    }
  })
  return (url) =>
    [...methods].sort(byRank).flatMap((method) => {
      const found = router.find(method, url)
      return found ? [{ method, config: (found.store as { config?: FastifyContextConfig } | undefined)?.config }] : []
    })
}

/** A route a URL matches: its method and its config (e.g. `oauthErrors`). */
export interface RouteMatch {
  method: string
  config: FastifyContextConfig | undefined
}
