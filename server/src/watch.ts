/**
 * Directory watching for journals outside the workspace (e.g. /var/lib/...): the
 * supervisor's atomic rename is a create in the directory, which a watch on the file
 * itself would miss. Falls back to polling the directory when it cannot be watched
 * (it does not exist yet, or inotify is exhausted).
 */
import { watch, statSync, type FSWatcher } from 'node:fs';
import type { Disposable } from './deps';

const POLL_MS = 1000;

export function watchDirectory(dir: string, onChange: (name: string | undefined) => void): Disposable {
  let watcher: FSWatcher | undefined;
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
      watcher = watch(dir, { persistent: false }, (_event, name) => onChange(name ?? undefined));
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
        if (!disposed) {
          lastStamp = stamp();
          timer = setTimeout(poll, POLL_MS);
          onChange(undefined);
        }
      });
      return true;
    } catch {
      return false;
    }
  }

  if (!start()) {
    lastStamp = stamp();
    timer = setTimeout(poll, POLL_MS);
  }
  return {
    dispose(): void {
      disposed = true;
      watcher?.close();
      if (timer) clearTimeout(timer);
    },
  };
}
