/** The layout is the architecture: each layer of src/ imports only from the layers below it. */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import t from 'tap'
import { packageRoot } from '../src/package-root.js'

const src = join(packageRoot, 'src')
/** Layers from the bottom up, each with what it may import from: the layers below it, and some top-level modules. */
const LAYERS = [
  ['domain', []],
  ['http', ['domain']],
  ['plugins', ['domain', 'http', 'config.js']],
  ['routes', ['domain', 'http', 'scenarios.js', 'package-root.js']]
] as const

const modulesOf = (dir: string): string[] => readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => join(entry.parentPath, entry.name))

/** What each relative import of a module names: its layer (the folder under src/), or a top-level module. */
function importsOf (file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/(?:from|import) '(\.{1,2}\/[^']+)'/g)]
    .map((match) => relative(src, resolve(file, '..', match[1] as string)).split('/')[0] as string)
}

t.test('each layer imports only from itself and the layers below it', async (t) => {
  for (const [layer, below] of LAYERS) {
    const allowed = new Set<string>([layer, ...below])
    const files = modulesOf(join(src, layer))
    t.ok(files.length > 3, `${layer}/ has ${files.length} modules`)
    const wrong = files.flatMap((file) => importsOf(file).filter((name) => !allowed.has(name)).map((name) => `${relative(src, file)} → ${name}`))
    t.strictSame(wrong, [], `${layer}/ imports only from ${[...allowed].join(', ')}`)
  }
})

t.test('the domain knows nothing of HTTP', async (t) => {
  const fastify = modulesOf(join(src, 'domain')).filter((file) => /from '(fastify|@fastify\/[^']+)'/.test(readFileSync(file, 'utf8')))
  t.strictSame(fastify.map((file) => relative(src, file)), [])
})
