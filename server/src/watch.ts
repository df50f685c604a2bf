/**
 * Directory watching for journals outside the workspace (e.g. /var/lib/...): the
 * supervisor's atomic rename is a create in the directory, which a watch on the file
 * itself would miss. A watch dies with its directory, so when the directory is deleted
 * or replaced (a service reinstalled) it falls back to polling until a directory is
 * there again, then watches that one. It also polls when the directory cannot be
 * watched at all (it does not exist yet, or inotify is exhausted).
 */
import { watch, statSync, type FSWatcher } from 'node:fs';
import { basename } from 'node:path';
import type { Disposable } from './deps';

const POLL_MS = 1000;

function inode(dir: string): number | undefined {
  try {
    return statSync(dir).ino;
  } catch {
    return undefined;
  }
}

export function watchDirectory(dir: string, onChange: (name: string | undefined) => void): Disposable {
  let watcher: FSWatcher | undefined;
  let watchedIno: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  let lastStamp = '';

  const stamp = (): string => {
    try {
      const st = statSync(dir);
      return `${st.ino}:${st.mtimeMs}`;
    } catch {
      return 'missing';
    }
  };

  const toPolling = (): void => {
    watcher?.close();
    watcher = undefined;
    if (disposed) return;
    lastStamp = stamp();
    clearTimeout(timer);
    timer = setTimeout(poll, POLL_MS);
  };

  const poll = (): void => {
    if (disposed) return;
    const s = stamp();
    if (s !== lastStamp) {
      lastStamp = s;
      onChange(undefined);
      if (s !== 'missing' && start()) return;
    }
    timer = setTimeout(poll, POLL_MS);
  };

  function start(): boolean {
    try {
      watchedIno = inode(dir);
      if (watchedIno === undefined) return false;
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        // The directory itself was deleted, moved or replaced (an event named after it, or
        // a new inode): this watch sees nothing more, so watch whatever is there now.
        if (name === basename(dir) || inode(dir) !== watchedIno) {
          watcher?.close();
          watcher = undefined;
          if (disposed) return;
          if (!start()) toPolling();
          onChange(undefined);
          return;
        }
        onChange(name ?? undefined);
      });
      watcher.on('error', () => {
        toPolling();
        onChange(undefined);
      });
      return true;
    } catch {
      return false;
    }
  }

  if (!start()) toPolling();
  return {
    dispose(): void {
      disposed = true;
      watcher?.close();
      if (timer) clearTimeout(timer);
    },
  };
}
