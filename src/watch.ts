/** --watch: calls back when a file changes, however an editor saves it (in place, or by renaming a new file over it). */
import { watch } from 'node:fs'
import { basename, dirname } from 'node:path'

const SETTLE_MS = 100

/** Watches the file's folder (a watch on the file itself ends when an editor replaces it); returns a stop function. */
export function watchFile (file: string, changed: () => void): () => void {
  let timer: NodeJS.Timeout | undefined
  const watcher = watch(dirname(file), (_event, name) => {
    if (name !== null && name !== basename(file)) return
    // Saves often come as several events; act once they settle.
    clearTimeout(timer)
    timer = setTimeout(changed, SETTLE_MS)
  })
  return () => {
    clearTimeout(timer)
    watcher.close()
  }
}
