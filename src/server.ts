// The server's entry (`node dist/server.js`, or `npm start` through bin/server.js): holds V8's young
// generation at its first size while the server's modules load and start (lib/young-generation.ts),
// then loads them; server-main.ts lets it grow once the server is busy.
import { holdYoungGeneration } from './lib/young-generation.js'

holdYoungGeneration()
await import('./server-main.js')
