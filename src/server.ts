#!/usr/bin/env node
/** The command-line entry point: keeps nextTick fast before anything else is loaded (see its module), then runs the command. */
import { keepNextTickFast } from './keep-next-tick-fast.js'

keepNextTickFast()
await import('./cli.js')
