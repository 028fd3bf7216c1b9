#!/usr/bin/env node
// `npm start`: the compiled dist/server.js when it is up to date with the sources, else
// src/server.ts through tsx (see launch.js). In production run `node dist/server.js` directly.
import { launch } from './launch.js'

await launch('server')
