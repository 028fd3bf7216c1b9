import type { FastifyInstance, RouteHandlerMethod, RouteShorthandOptions } from 'fastify'

/**
 * Registers one POST route at each of `paths`, all with the same options and handler, so that a
 * path the public documentation prints in another form answers exactly like the canonical one.
 * The first path is the canonical one, in the OpenAPI document; the others are hidden from it.
 */
export function postAtEach(
  app: FastifyInstance,
  paths: readonly [canonical: string, ...aliases: string[]],
  options: RouteShorthandOptions,
  handler: RouteHandlerMethod,
): void {
  paths.forEach((path, index) => {
    app.post(path, index === 0 ? options : { ...options, schema: { ...options.schema, hide: true } }, handler)
  })
}
