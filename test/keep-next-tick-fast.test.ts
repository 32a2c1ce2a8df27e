/**
 * keepNextTickFast, in a process of its own with V8's natives syntax: after a burst of nextTick calls and two full
 * collections with none queued (as at start-up), nextTick's inline caches stay monomorphic only if it ran first.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t, { type Test } from 'tap'
import { packageRoot } from '../src/package-root.js'

// The built module (tap's `before` builds it: scripts/prepare.mjs), so the child needs no TypeScript loader.
const built = pathToFileURL(join(packageRoot, 'dist', 'src', 'keep-next-tick-fast.js')).href

const program = (keep: boolean): string => `
  import { keepNextTickFast } from '${built}'
  ${keep ? 'keepNextTickFast()' : ''}
  let ran = 0
  const burst = (then) => { for (let i = 0; i < 2000; i++) process.nextTick(() => { ran++ }); setImmediate(then) }
  burst(() => { gc(); gc(); burst(() => { %DebugPrint(process.nextTick) }) })
`

/** The state of each inline cache that defines a property of nextTick's queued object, as V8 prints them. */
async function literalCaches (t: Test, keep: boolean): Promise<string[]> {
  // V8 prints to the C library's stdout; through a pipe part of it can be lost at exit, into a file none is.
  const file = join(t.testdir(), 'debug-print.txt')
  const out = openSync(file, 'w')
  const child = spawn(process.execPath, ['--allow-natives-syntax', '--expose-gc', '--input-type=module', '-e', program(keep)], {
    stdio: ['ignore', out, 'inherit'],
    // Without tap's loaders: the child is to start as the command does.
    env: { ...process.env, NODE_OPTIONS: '' }
  })
  const [code] = await once(child, 'exit')
  closeSync(out)
  t.equal(code, 0, 'the child exits 0')
  return [...readFileSync(file, 'utf8').matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((match) => match[1] as string)
}

t.test('without it, the collections leave nextTick defining its object in the runtime for good', async (t) => {
  t.strictSame(await literalCaches(t, false), ['MONOMORPHIC', 'MEGAMORPHIC', 'MEGAMORPHIC', 'MEGAMORPHIC'])
})

t.test('with it, every property of the object is still defined by a monomorphic cache', async (t) => {
  t.strictSame(await literalCaches(t, true), ['MONOMORPHIC', 'MONOMORPHIC', 'MONOMORPHIC', 'MONOMORPHIC'])
})

t.test('the entry points load nothing else until it has run', async (t) => {
  for (const entry of ['src/server.ts', 'bench/server.ts']) {
    const text = readFileSync(join(packageRoot, entry), 'utf8')
    const imports = [...text.matchAll(/^import .* from '([^']+)'/gm)].map((match) => match[1])
    t.strictSame(imports, [entry.startsWith('src') ? './keep-next-tick-fast.js' : '../src/keep-next-tick-fast.js'], `${entry} imports only it`)
    t.match(text, /\nkeepNextTickFast\(\)\nawait import\('\.\/[\w-]+\.js'\)\n$/, `${entry} runs it, then loads the rest`)
  }
})
