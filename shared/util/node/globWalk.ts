/**
 * Expands absolute glob patterns (journal search paths, supervisor config globs) by
 * walking the file system; shared by the language server and the CLI. Patterns come
 * from settings a workspace can set, so the walk is bounded however they are written:
 * each (folder, pattern position) pair is visited once (stacked `**` cannot multiply
 * the work), every folder is read at most once, and both the folders read and the files
 * found are capped. It never follows symlinked directories, so a link loop cannot hang
 * it, and it skips `node_modules`, `.git`, `.cache`, `/proc` and `/sys`.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { matchesSegment, parseGlob, type Segment } from '../glob';

const SKIP_DIRS = new Set(['node_modules', '.git', '.cache', 'proc', 'sys']);
const MAX_DEPTH = 24;
/** Folders read per expansion, whatever the patterns (a fleet host has a few hundred). */
export const DEFAULT_MAX_DIRS = 20_000;

export interface GlobResult {
  paths: string[];
  /** True when a cap cut the search short. */
  truncated: boolean;
  /** Which cap, in a sentence ("search cut short: …"), when truncated. */
  cutShort?: string;
  /** Folders read (each at most once; paths that turned out not to be folders are not counted). */
  foldersRead: number;
}

/** One expansion: what was found and read so far, and which cap cut it short. */
class Walk {
  readonly found = new Set<string>();
  private readonly visited = new Set<string>();
  private readonly listings = new Map<string, Promise<Dirent[]>>();
  foldersRead = 0;
  cut: string | undefined;

  constructor(
    private readonly limit: number,
    private readonly maxDirs: number,
  ) {}

  /** A folder's entries, read at most once; undefined once the folder cap is reached. */
  private list(dir: string): Promise<Dirent[]> | undefined {
    const known = this.listings.get(dir);
    if (known) return known;
    // Every attempt counts towards the cap, including paths that are not folders.
    if (this.listings.size >= this.maxDirs) {
      this.cut ??= `search cut short: more than ${this.maxDirs} folders to read; narrow the patterns`;
      return undefined;
    }
    const p = readdir(dir, { withFileTypes: true }).then(
      (entries) => (this.foldersRead++, entries),
      () => [] as Dirent[],
    );
    this.listings.set(dir, p);
    return p;
  }

  private add(path: string): void {
    if (this.found.size >= this.limit) this.cut ??= `search cut short: more than ${this.limit} files match; narrow the patterns`;
    else this.found.add(path);
  }

  /** Matches `segs[at..]` under `dir`; `key` tells patterns apart in the visited set. */
  async walk(key: string, dir: string, segs: Segment[], at: number, depth: number): Promise<void> {
    const seg = segs[at];
    const id = `${key}\0${at}\0${dir}`;
    if (!seg || this.cut || this.visited.has(id)) return;
    this.visited.add(id);
    const last = at === segs.length - 1;
    if (seg.kind === 'literal') {
      // Not checked here: reading it next tells "missing" at no extra cost.
      if (last) this.add(join(dir, seg.text));
      else await this.walk(key, join(dir, seg.text), segs, at + 1, depth + 1);
      return;
    }
    const entries = await this.list(dir);
    if (!entries) return;
    if (seg.kind === 'globstar') {
      await this.walk(key, dir, segs, at + 1, depth);
      if (depth >= MAX_DEPTH) return;
      for (const e of entries) if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await this.walk(key, join(dir, e.name), segs, at, depth + 1);
      return;
    }
    for (const e of entries) {
      if (!matchesSegment(e.name, seg)) continue;
      if (!last) {
        if (e.isDirectory()) await this.walk(key, join(dir, e.name), segs, at + 1, depth + 1);
      } else if (e.isFile() || e.isSymbolicLink()) this.add(join(dir, e.name));
    }
  }
}

/** Paths matching the patterns; a last literal segment (e.g. `state.bin`) is not checked for existence. */
export async function expandGlobs(patterns: string[], limit: number, maxDirs = DEFAULT_MAX_DIRS): Promise<GlobResult> {
  const w = new Walk(limit, maxDirs);
  for (const [i, p] of patterns.entries()) if (p.startsWith('/')) await w.walk(String(i), '/', parseGlob(p), 0, 0);
  return { paths: [...w.found].sort(), truncated: w.cut !== undefined, ...(w.cut ? { cutShort: w.cut } : {}), foldersRead: w.foldersRead };
}
