/** Reading handoff records in tests: a log file's lines, a whole read, what the plain text says, simulated handoffs. */
import { readFileSync } from 'node:fs';
import { HandoffReader, splitLogText, stripControls, type HandoffRecord, type RawLine } from '../../shared/supervisorLog';
import { eventLines, type LogEvent } from './simulatorLog';

export const raw = (path: string): RawLine[] => splitLogText(readFileSync(path, 'utf8'));

/** A whole read, as `history` makes it: every line, then the end of the read. */
export function readAll(lines: readonly RawLine[], service = 'kv'): HandoffRecord[] {
  const r = new HandoffReader(service);
  return [...r.pushAll(lines), ...r.flush()];
}

/** What the plain text says, found with its own pattern: `target: ... handoff_id=ID ... key=value`. */
export function said(lines: readonly RawLine[], target: string, key?: string): { id: string; value?: number }[] {
  return lines
    .map((l) => stripControls(l.text))
    .filter((t) => t.includes(` ${target}: `))
    .map((t) => {
      const id = / handoff_id=([0-9a-f-]{36})/.exec(t)?.[1] as string;
      const v = key ? new RegExp(` ${key}=([0-9.e-]+)`).exec(t)?.[1] : undefined;
      return { id, ...(v !== undefined ? { value: Number(v) } : {}) };
    });
}

/** Lines of one handoff in the simulator's real format. */
export function handoffLines(id: string, events: LogEvent[], atMs: number, successorPid = 7): RawLine[] {
  const ctx = { id, successorPid, drainGraceMs: 25_000, deadlineMs: 60_000, at: new Date(atMs), seconds: () => 0.002 };
  return events.flatMap((e) => eventLines(e, ctx)).map((text) => ({ text }));
}

export const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
