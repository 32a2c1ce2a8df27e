/** The benchmarks' servers, each in its own process (bench/server.ts) pinned to core 0, with this process on core 1. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/** Server on core 0, load generator (this process) on core 1, when the machine has two and taskset is there. */
export const pinned = cpus().length >= 2 && pinThisProcessToCore1()
function pinThisProcessToCore1 (): boolean {
  try {
    execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export interface Server { name: string, url: string, child: ChildProcess }

/** The server's CPU time (user and system) per request since the last call, in µs: asked over IPC. */
export async function cpuPerRequest (server: Server): Promise<number> {
  server.child.send('cpu')
  const [message] = await once(server.child, 'message') as [{ micros: number, requests: number }]
  return message.micros / Math.max(1, message.requests)
}

export const startServer = (name: string, ...args: string[]): Promise<Server> => startServerFrom(join(here, 'server.js'), name, ...args)

/** A server from another build's entry (`<checkout>/dist/bench/server.js`), to compare two commits. */
export async function startServerFrom (entry: string, name: string, ...args: string[]): Promise<Server> {
  const command = pinned ? 'taskset' : process.execPath
  const argv = [entry, ...args]
  const child = spawn(command, pinned ? ['-c', '0', process.execPath, ...argv] : argv, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const [message] = await once(child, 'message') as [{ url: string }]
  return { name, url: message.url, child }
}
