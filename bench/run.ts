// `npm run bench` entry. Options (environment): BENCH_DURATION (s, default 5), BENCH_CONNECTIONS
// (10), BENCH_RUNS (3), BENCH_WARMUP (s, 1), BENCH_UPLOAD_RUNS (7), BENCH_DELIVERY_RUNS (1), BENCH_STARTUP_RUNS (5),
// BENCH_STARTUP_IDLE (s, 5), BENCH_ONLY (scenario names,
// comma-separated), BENCH_OUTPUT (default bench/results.md; bench/results-partial.md with BENCH_ONLY), BENCH_NODE_ARGS (node options for
// every server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them). Scenarios and baselines: bench/scenarios.ts.
//
// Under the `tsx` CLI (how the npm script runs it) this process only relays: tsx SIGKILLs its
// child when that child does not acknowledge a signal within ~30 ms, which a busy benchmark
// process cannot promise — and a SIGKILLed benchmark would leave its servers running. So the
// benchmark runs in a worker process (`node --import tsx`), in the same process group (a
// terminal Ctrl-C reaches it directly); this process forwards other signals and exits with it.
import { spawn } from 'node:child_process'
import { constants } from 'node:os'
import { fileURLToPath } from 'node:url'

const WORKER_FLAG = 'CREDPORT_BENCH_WORKER'

if (process.env[WORKER_FLAG] === '1') {
  const { runBenchmark } = await import('./lib/bench.js')
  process.exitCode = await runBenchmark()
} else {
  const worker = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, [WORKER_FLAG]: '1' },
    stdio: 'inherit',
  })
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill(signal)
    })
  }
  worker.on('error', (error) => {
    process.stderr.write(`[bench] could not start the benchmark process: ${error.message}\n`)
    process.exit(1)
  })
  worker.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 1)))
}
