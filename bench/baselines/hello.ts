// Baseline: the cheapest Fastify server — GET / → {"hello":"world"}. Benchmarks divide by its
// throughput, measured in the same run, so that results compare across noisy machines.
//
// The logger is configured like Credport's (pino at LOG_LEVEL, default warn): nothing is
// written per request in either, so the difference measured is Credport's own work.
import Fastify from 'fastify'

const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'warn' } })

app.get('/', async () => ({ hello: 'world' }))

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}

await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' })
