#!/usr/bin/env node
// Installed entry point of the CLI: the compiled dist/cli/main.js when it is up to date with the
// sources, else src/cli/main.ts through tsx (see launch.js).
import { launch } from './launch.js'

await launch('cli/main')
