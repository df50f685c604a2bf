/**
 * Expands absolute glob patterns (journal search paths, supervisor config globs) by
 * walking the file system; shared by the language server and the CLI. The walk is
 * bounded (file limit, depth, skipped folders) and never follows symlinked directories,
 * so a link loop cannot hang it.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseGlob, type Segment } from '../glob';

const SKIP_DIRS = new Set(['node_modules', '.git', '.cache', 'proc', 'sys']);
const MAX_DEPTH = 24;

/** Paths matching the patterns; a last literal segment (e.g. `state.bin`) is not checked for existence. */
export async function expandGlobs(patterns: string[], limit: number): Promise<{ paths: string[]; truncated: boolean }> {
  const found = new Set<string>();
  let truncated = false;
  const walk = async (dir: string, segs: Segment[], depth: number): Promise<void> => {
    if (found.size >= limit) {
      truncated = true;
      return;
    }
    const [seg, ...rest] = segs;
    if (!seg) return;
    if (seg.kind === 'literal') {
      if (rest.length === 0) {
        // Not checked here: reading it next tells "missing" at no extra cost.
        found.add(join(dir, seg.text));
        return;
      }
      await walk(join(dir, seg.text), rest, depth + 1);
      return;
    }
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    if (seg.kind === 'globstar') {
      await walk(dir, rest, depth);
      if (depth >= MAX_DEPTH) return;
      for (const e of entries) {
        if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(join(dir, e.name), segs, depth + 1);
      }
      return;
    }
    for (const e of entries) {
      if (!seg.re.test(e.name)) continue;
      if (rest.length === 0) {
        if (e.isFile() || e.isSymbolicLink()) found.add(join(dir, e.name));
        if (found.size >= limit) return;
      } else if (e.isDirectory()) {
        await walk(join(dir, e.name), rest, depth + 1);
      }
    }
  };
  for (const p of patterns) {
    if (!p.startsWith('/')) continue;
    await walk('/', parseGlob(p), 0);
  }
  return { paths: [...found].sort(), truncated };
}
