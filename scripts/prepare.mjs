#!/usr/bin/env node
// npm's `prepare`: builds dist/ with TypeScript. npm runs it after `npm install` in a clone (TypeScript is there), in a
// clone it makes of a git URL (it installs the dev dependencies first), and in a folder installed by path
// (`npm install ../chat-capacity-simulator`: npm links the folder and installs nothing in it). In that last case the
// folder's own dependencies are installed here first, so that it builds, and runs from where it is linked.
// tap runs it too, before the tests (`before` in package.json): the process tests start the built command.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

function run (command, args) {
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: ownEnvironment() })
  if (error !== undefined || status !== 0) {
    console.error(`prepare: ${[command, ...args].join(' ')} failed (${error?.message ?? `exit code ${status}`})`)
    process.exit(1)
  }
}

// The installing npm's settings (its prefix, what to save…) are about the project that installs, not this folder.
function ownEnvironment () {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'])
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_config_') || keep.has(key.toLowerCase())))
}

const findTsc = () => createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')
// The npm that runs this script, if it says which (npm_execpath), else the one on PATH.
const npm = process.env.npm_execpath === undefined ? ['npm'] : [process.execPath, process.env.npm_execpath]

let tsc
try {
  tsc = findTsc()
} catch {
  console.error('prepare: installing this folder\'s dependencies to build it')
  run(npm[0], [...npm.slice(1), 'install', '--ignore-scripts', '--include=dev', '--no-audit', '--no-fund'])
  tsc = findTsc()
}
run(process.execPath, [tsc, '-b', 'tsconfig.build.json'])
