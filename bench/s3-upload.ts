// `npm run bench:s3`: upload throughput of 15 MiB documents through a presigned S3 URL as
// Credport issues it (asset_uploads[].url, a plain PUT) beside the same upload with the AWS SDK
// (PutObject), both to a local S3-compatible server (s3rver, started on a free port, in a process
// of its own). Credport is not on the byte path: the ratio shows the URL costs nothing. The same
// measurement is the `s3-upload` row of `npm run bench` (bench/lib/s3-upload.ts).
// Options (environment): BENCH_S3_RUNS (default 7), BENCH_S3_MIB (15).
import { measureS3Uploads, mibPerSecond } from './lib/s3-upload.js'

const runs = Number(process.env.BENCH_S3_RUNS ?? 7)
const mib = Number(process.env.BENCH_S3_MIB ?? 15)
const { presignedMs: p, sdkMs: s } = await measureS3Uploads(runs, mib)
const mibps = (ms: number) => mibPerSecond(mib, ms).toFixed(1)
console.log(`${mib} MiB uploads, median of ${runs} (alternating), local s3rver:`)
console.log(`  presigned URL (Credport's asset_uploads url), plain PUT: ${p.toFixed(0)} ms, ${mibps(p)} MiB/s`)
console.log(`  AWS SDK PutObject:                                      ${s.toFixed(0)} ms, ${mibps(s)} MiB/s`)
console.log(`  ratio (presigned / SDK throughput): ${(s / p).toFixed(2)}`)
