/** Finds our language server processes of one code-server session, from /proc. */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose command line runs `dist/server.js` from the given extensions folder. */
export function languageServerPids(extensionsDir: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      if (cmd.some((a) => a.startsWith(extensionsDir) && a.endsWith('/dist/server.js'))) out.push(Number(d));
    } catch {
      // The process exited meanwhile.
    }
  }
  return out;
}
