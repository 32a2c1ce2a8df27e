/** --watch: calls back when a file changes, however an editor saves it, and after its folder is deleted and made again. */
import { dirname, resolve } from 'node:path'
import { watch } from 'chokidar'

const SETTLE_MS = 100

/**
 * Watches from the folder above the file's (a watch on the file, or on its folder, ends when that is replaced), one
 * level deep and only along the way to the file. Changes made before `ready` may be missed.
 */
export function watchFile (file: string, changed: () => void): { ready: Promise<void>, stop: () => Promise<void> } {
  const target = resolve(file)
  const folder = dirname(target)
  const above = dirname(folder)
  let timer: NodeJS.Timeout | undefined
  const watcher = watch(above, {
    ignoreInitial: true,
    depth: 1,
    ignored: (path) => path !== above && path !== folder && path !== target
  })
  watcher.on('all', (event, path) => {
    if (path !== target || (event !== 'add' && event !== 'change')) return
    // Saves often come as several events; act once they settle.
    clearTimeout(timer)
    timer = setTimeout(changed, SETTLE_MS)
  })
  return {
    ready: new Promise((resolve) => watcher.once('ready', resolve)),
    stop: async () => {
      clearTimeout(timer)
      await watcher.close()
    }
  }
}
