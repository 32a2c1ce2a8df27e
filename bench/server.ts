/** A server under test's entry point: as the command's, it keeps nextTick fast before anything else is loaded. */
import { keepNextTickFast } from '../src/keep-next-tick-fast.js'

keepNextTickFast()
await import('./server-under-test.js')
