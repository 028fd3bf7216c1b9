// The S3-compatible server of bench/lib/s3-upload.ts, in a process of its own (forked, so that the
// server's work does not share the measuring process's event loop): sends its S3_* environment to
// the parent, stops when the parent disconnects.
import { startS3Server } from '../../test/support/s3-server.js'

const s3 = await startS3Server('bench')
process.send?.(s3.env)
process.on('disconnect', () => s3.close().then(() => process.exit(0)))
