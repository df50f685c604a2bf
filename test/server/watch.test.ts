/** The directory watch survives its directory being deleted and created again. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { watchDirectory } from '../../server/src/watch';

const root = mkdtempSync(join(tmpdir(), 'hj-watch-'));
after(() => rmSync(root, { recursive: true, force: true }));

function next(events: (string | undefined)[], pred: (e: string | undefined) => boolean, ms = 10_000): Promise<void> {
  return new Promise((res, rej) => {
    const t0 = Date.now();
    const check = (): void => {
      if (events.some(pred)) return res();
      if (Date.now() - t0 > ms) return rej(new Error(`no matching event in ${JSON.stringify(events)}`));
      setImmediate(check);
    };
    check();
  });
}

it('sees a rename into the directory, and keeps seeing after the directory is replaced', async () => {
  const dir = join(root, 'svc');
  mkdirSync(dir);
  const events: (string | undefined)[] = [];
  const w = watchDirectory(dir, (name) => events.push(name));
  try {
    writeFileSync(join(dir, 'state.bin'), 'a');
    await next(events, (e) => e === 'state.bin');
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    events.length = 0;
    // The watch notices its directory was replaced and watches the new one.
    await next(events, (e) => e === undefined);
    await new Promise((r) => setTimeout(r, 50));
    events.length = 0;
    writeFileSync(join(dir, 'state.bin'), 'b');
    await next(events, (e) => e === 'state.bin' || e === undefined);
  } finally {
    w.dispose();
  }
});
