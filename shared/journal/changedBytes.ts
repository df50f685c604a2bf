/**
 * The lines the CLI prints after a change: the journal's bytes before and after, as hex
 * (`previous bytes (N): …`, `written bytes (N): …`). The extension reads them back from
 * a sudo run to keep its undo record in the user's own storage. Pure.
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

/** Whether an output line is one of those lines. */
export function isChangedBytesLine(line: string): boolean {
  return line.startsWith(`${LABELS.before} `) || line.startsWith(`${LABELS.after} `);
}

/** The hex bytes those lines name in a CLI's output (null: no journal). */
export function parseChangedBytes(stdout: string): { before: string | null; after: string | null } {
  const find = (label: string): string | null => new RegExp(`^${label} \\(\\d+\\): ([0-9a-f]*)$`, 'm').exec(stdout)?.[1] ?? null;
  return { before: find(LABELS.before), after: find(LABELS.after) };
}
