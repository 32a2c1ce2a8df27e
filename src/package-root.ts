/** The package's own folder, found from this file whether it runs from src/ (tests) or dist/src/ (built). */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

function findRoot (from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`no package.json above ${from}`)
    dir = parent
  }
  return dir
}

export const packageRoot = findRoot(dirname(fileURLToPath(import.meta.url)))
export const fixturesDir = join(packageRoot, 'fixtures')
/** The package's version, for --version and the health check. */
export const packageVersion = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version
