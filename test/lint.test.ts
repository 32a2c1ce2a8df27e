/** The linter (neostandard, eslint.config.js) over the whole project, as `npm run lint` runs it: no problem allowed. */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { relative } from 'node:path'
import { ESLint } from 'eslint'
import t from 'tap'
import { packageRoot } from '../src/package-root.js'

// A fresh clone has no cache: linting every file takes 15 s alone, and over 40 s beside other test files on 2 cores.
t.setTimeout(180_000)

t.test('eslint finds no problem in the project', async (t) => {
  const eslint = new ESLint({ cwd: packageRoot, cache: true, cacheLocation: 'node_modules/.cache/eslint/' })
  const results = await eslint.lintFiles(['.'])
  const problems = results.reduce((sum, result) => sum + result.errorCount + result.warningCount, 0)
  const report = problems === 0 ? '' : await (await eslint.loadFormatter('stylish')).format(results)
  t.equal(problems, 0, `eslint: ${problems} problems${report}`)
  const linted = new Set(results.map((result) => relative(packageRoot, result.filePath)))
  for (const file of ['src/app.ts', 'src/domain/model.ts', 'bench/run.ts', 'scripts/prepare.mjs', 'test/lint.test.ts', 'eslint.config.js']) {
    t.ok(linted.has(file), `${file} is linted`)
  }
})

t.test('the dashboard\'s script type-checks: dashboard/tsconfig.json (its JSDoc types, strict, with the DOM and uPlot\'s types)', async (t) => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
  const { status, stdout } = spawnSync(process.execPath, [tsc, '-p', 'dashboard/tsconfig.json'], { cwd: packageRoot, encoding: 'utf8' })
  t.equal(stdout, '', 'no type error')
  t.equal(status, 0)
})
