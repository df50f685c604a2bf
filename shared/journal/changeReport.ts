/**
 * What the CLI reports after a change (reset, delete, restore, delete-tmp): for people,
 * the journal's bytes before and after as hex lines (`previous bytes (N): …`,
 * `written bytes (N): …`); for programs, one JSON object (`--json`), which the extension
 * reads back from a sudo run to keep its undo record in the user's own storage. Pure.
 */

const LABELS = { before: 'previous bytes', after: 'written bytes' } as const;

function hexOf(b: Uint8Array): string {
  let out = '';
  for (const x of b) out += x.toString(16).padStart(2, '0');
  return out;
}

/** The lines for the bytes a change found and wrote (none for no journal). */
export function changedBytesLines(before: Uint8Array | undefined, after: Uint8Array | undefined): string[] {
  const line = (label: string, b: Uint8Array): string => `${label} (${b.length}): ${hexOf(b)}`;
  return [...(before ? [line(LABELS.before, before)] : []), ...(after ? [line(LABELS.after, after)] : [])];
}

/** `--json` of a change: one object on one line. */
export interface ChangeReport {
  ok: boolean;
  /** The CLI command: reset, delete, restore, delete-tmp. */
  command: string;
  path: string;
  message: string;
  /** Why it was refused (a `RefusalReason`), when `ok` is false. */
  reason: string | null;
  /** Whether `--force` would override the refusal. */
  forceable: boolean;
  /** The journal's bytes before the change, hex; null for no journal (or not read). */
  before: string | null;
  /** The bytes the change wrote, hex; null when it wrote none (deleted, or refused). */
  after: string | null;
}

export function changeReport(r: {
  ok: boolean;
  command: string;
  path: string;
  message: string;
  reason?: string;
  forceable?: boolean;
  before?: Uint8Array;
  after?: Uint8Array;
}): ChangeReport {
  return {
    ok: r.ok,
    command: r.command,
    path: r.path,
    message: r.message,
    reason: r.reason ?? null,
    forceable: r.forceable ?? false,
    before: r.before ? hexOf(r.before) : null,
    after: r.after ? hexOf(r.after) : null,
  };
}

const HEX = /^(?:[0-9a-f]{2})*$/;
const hexOrNull = (v: unknown): v is string | null => v === null || (typeof v === 'string' && HEX.test(v));

/**
 * The report in a CLI's `--json` output: the last line that parses as one (a terminal
 * may have printed sudo's own lines before it), checked field by field; undefined when
 * there is none.
 */
export function parseChangeReport(stdout: string): ChangeReport | undefined {
  const lines = stdout.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] as string).trim();
    if (!l.startsWith('{')) continue;
    let v: unknown;
    try {
      v = JSON.parse(l);
    } catch {
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    const o = v as Record<string, unknown>;
    if (typeof o.ok !== 'boolean' || typeof o.command !== 'string' || typeof o.path !== 'string' || typeof o.message !== 'string') continue;
    if (!hexOrNull(o.before) || !hexOrNull(o.after)) continue;
    return {
      ok: o.ok,
      command: o.command,
      path: o.path,
      message: o.message,
      reason: typeof o.reason === 'string' ? o.reason : null,
      forceable: o.forceable === true,
      before: o.before,
      after: o.after,
    };
  }
  return undefined;
}
