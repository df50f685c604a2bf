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

/** One directory's watch: an fs.watch while the directory is there, polling while it is not. */
class DirectoryWatch implements Disposable {
  private watcher: FSWatcher | undefined;
  private watchedIno: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private lastStamp = '';

  constructor(
    private readonly dir: string,
    private readonly onChange: (name: string | undefined) => void,
  ) {
    if (!this.start()) this.toPolling();
  }

  private stamp(): string {
    try {
      const st = statSync(this.dir);
      return `${st.ino}:${st.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }

  private toPolling(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.disposed) return;
    this.lastStamp = this.stamp();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  private poll(): void {
    if (this.disposed) return;
    const s = this.stamp();
    if (s !== this.lastStamp) {
      this.lastStamp = s;
      this.onChange(undefined);
      if (s !== 'missing' && this.start()) return;
    }
    this.timer = setTimeout(() => this.poll(), POLL_MS);
  }

  private event(name: string | null): void {
    // The directory itself was deleted, moved or replaced (an event named after it, or a
    // new inode): this watch sees nothing more, so watch whatever is there now.
    if (name === basename(this.dir) || inode(this.dir) !== this.watchedIno) {
      this.watcher?.close();
      this.watcher = undefined;
      if (this.disposed) return;
      if (!this.start()) this.toPolling();
      this.onChange(undefined);
      return;
    }
    this.onChange(name ?? undefined);
  }

  private start(): boolean {
    try {
      this.watchedIno = inode(this.dir);
      if (this.watchedIno === undefined) return false;
      this.watcher = watch(this.dir, { persistent: false }, (_event, name) => this.event(name));
      this.watcher.on('error', () => {
        this.toPolling();
        this.onChange(undefined);
      });
      return true;
    } catch {
      return false;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.watcher?.close();
    if (this.timer) clearTimeout(this.timer);
  }
}

export function watchDirectory(dir: string, onChange: (name: string | undefined) => void): Disposable {
  return new DirectoryWatch(dir, onChange);
}
