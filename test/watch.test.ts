/** --watch's file watcher: edits in place, saves by rename, and a folder deleted and made again. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { watchFile } from '../src/watch.js'

t.test('calls back after each kind of save, also once the folder is deleted and made again; not after stop', async (t) => {
  const folder = join(t.testdir({ fixtures: { 'mine.json': '1', 'other.json': '1' } }), 'fixtures')
  const file = join(folder, 'mine.json')
  let calls = 0
  let wake = (): void => {}
  const watcher = watchFile(file, () => { calls++; wake() })
  const called = async (): Promise<void> => { await new Promise<void>((resolve) => { wake = resolve }) }
  await watcher.ready

  let next = called()
  writeFileSync(file, '2')
  await next
  t.equal(calls, 1, 'an edit in place')

  next = called()
  writeFileSync(join(folder, 'mine.json.tmp'), '3')
  renameSync(join(folder, 'mine.json.tmp'), file)
  await next
  t.equal(calls, 2, 'a new file renamed over it')

  rmSync(folder, { recursive: true })
  await new Promise((resolve) => setTimeout(resolve, 300))
  next = called()
  mkdirSync(folder)
  writeFileSync(file, '4')
  await next
  t.equal(calls, 3, 'the folder made again, with the file')

  next = called()
  writeFileSync(file, '5')
  await next
  t.equal(calls, 4, 'and edited again')

  writeFileSync(join(folder, 'other.json'), '2')
  await watcher.stop()
  writeFileSync(file, '6')
  await new Promise((resolve) => setTimeout(resolve, 400))
  t.equal(calls, 4, 'another file, or an edit after stop, calls nothing')
})
