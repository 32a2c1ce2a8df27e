/** Every curl in the README's console blocks, and its walkthrough, run against the default scenario: the output must be as shown. */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { packageRoot } from '../src/package-root.js'
import { build } from './helpers/app.js'
import { startSimulator } from '../src/index.js'

interface Example { command: string, expected: string }

function examples (): Example[] {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
  const found: Example[] = []
  for (const block of readme.matchAll(/```console\n([\s\S]*?)```/g)) {
    for (const chunk of (block[1] as string).split(/^\$ /m).slice(1)) {
      const [command = '', ...output] = chunk.trimEnd().split('\n')
      found.push({ command, expected: output.join('\n') })
    }
  }
  return found
}

/** Splits a command line written with single quotes, as the README writes them. */
function words (command: string): string[] {
  return [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] as string)
}

/** The same instant everywhere, since the README shows the time of the moment it was written. */
const anyTime = (text: string): string => text
  .replace(/"time":"[^"]+"/g, '"time":"…"')
  .replace(/<time>[^<]+<\/time>/g, '<time>…</time>')

const found = examples()

t.test('the README shows curl examples', async (t) => {
  t.ok(found.length >= 9, `${found.length} examples`)
})

for (const { command, expected } of found) {
  t.test(command, async (t) => {
    const [program, ...args] = words(command)
    t.equal(program, 'curl')
    const headers: Record<string, string> = {}
    let url = ''
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] as string
      if (arg === '-s') continue
      if (arg === '-H') {
        const [name = '', ...value] = (args[++i] as string).split(':')
        headers[name.toLowerCase()] = value.join(':').trim()
      } else if (arg.startsWith('http://127.0.0.1:8080/')) {
        url = arg.slice('http://127.0.0.1:8080'.length)
      } else {
        t.fail(`unexpected curl argument ${arg}`)
      }
    }
    const sim = await build(t)
    const res = await sim.request({ url, headers })
    t.equal(anyTime(res.body), anyTime(expected))
  })
}

t.test('the README shows the Testcontainers example exactly as examples/ has it (the container test runs that file)', async (t) => {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
  const example = readFileSync(join(packageRoot, 'examples', 'testcontainers.test.mjs'), 'utf8')
  t.ok(readme.includes('```js\n' + example + '```\n'))
})

t.test('the README\'s walkthrough ("As your client does it") runs as shown, with curl and bash, against a running simulator', async (t) => {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8')
  const block = /<!-- walkthrough[^\n]*-->\n```sh\n([\s\S]*?)```/.exec(readme)?.[1]
  if (block === undefined) return t.fail('no walkthrough block')
  const expected = block.split('\n').filter((line) => line.startsWith('# → ')).map((line) => line.slice('# → '.length))
  t.ok(expected.length >= 9, `${expected.length} outputs shown`)
  const sim = await startSimulator()
  t.teardown(() => sim.close())
  const script = `set -euo pipefail\n${block.replaceAll('http://127.0.0.1:8080', sim.url)}`
  const { stdout, stderr, code } = await new Promise<{ stdout: string, stderr: string, code: number | null }>((resolve) => {
    execFile('bash', ['-c', script], { timeout: 60_000 }, (error, stdout, stderr) => resolve({ stdout, stderr, code: error === null ? 0 : (error.code as number | null) }))
  })
  t.equal(stderr, '')
  t.equal(code, 0)
  t.strictSame(stdout.trimEnd().split('\n'), expected)
})
