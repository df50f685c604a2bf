/**
 * Following a record source live, for the exporter: journald with `journalctl --follow
 * --after-cursor` (restarted from the last cursor if journalctl ever stops), a log file by
 * polling its tail (surviving rotation: fileTail.ts). The caller first reads up to the
 * log's current end (`readFrom`), then follows from the position that left.
 */
import { streamJournald } from './journaldStream';
import { readTail } from './fileTail';
import {
  deliverJournald,
  sourceName,
  sourceServices,
  type RecordSource,
  type SourceEvent,
  type SourcePosition,
  type SourceSink,
} from './recordSources';

export interface Follower {
  /** Stops following; resolves once nothing more will reach the sink. */
  stop(): Promise<void>;
}

export interface FollowOptions {
  /** How often a log file is looked at (default 250 ms). */
  pollMs?: number;
  /** Wait before journalctl is started again after it stopped (default 5 s). */
  retryMs?: number;
}

/** A pause that `wake()` ends early (on stop). */
function pause(): { wait(ms: number): Promise<void>; wake(): void } {
  let done: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  return {
    wait: (ms) =>
      new Promise<void>((r) => {
        done = r;
        timer = setTimeout(r, ms);
      }),
    wake: () => {
      clearTimeout(timer);
      done?.();
    },
  };
}

function failed(s: RecordSource, message: string): SourceEvent {
  return { kind: 'unreadable', source: sourceName(s), services: sourceServices(s), message };
}

function followJournald(
  s: Extract<RecordSource, { kind: 'journald' }>,
  start: SourcePosition,
  sink: SourceSink,
  o: FollowOptions,
): Follower {
  let stopped = false;
  let cursor = start.kind === 'journald' ? start.cursor : null;
  const sinceMs = start.kind === 'journald' ? start.sinceMs : undefined;
  let current: { stop(): void } | undefined;
  const p = pause();
  const loop = (async (): Promise<void> => {
    while (!stopped) {
      const run = streamJournald(
        {
          units: Object.keys(s.units),
          ...(s.file !== undefined ? { file: s.file } : {}),
          ...(s.directory !== undefined ? { directory: s.directory } : {}),
          ...(s.journalctl !== undefined ? { journalctl: s.journalctl } : {}),
          ...(cursor !== null ? { afterCursor: cursor } : sinceMs !== undefined ? { sinceMs } : {}),
          follow: true,
        },
        (lines, c) => {
          if (stopped) return;
          cursor = c;
          deliverJournald(s, sink, lines, c);
        },
      );
      current = run;
      const end = await run.done;
      if (stopped) return;
      sink.event(
        failed(s, `journalctl --follow stopped${end.ok ? '' : `: ${end.message}`}; starting it again in ${(o.retryMs ?? 5000) / 1000} s.`),
      );
      await p.wait(o.retryMs ?? 5000);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      current?.stop();
      p.wake();
      await loop;
    },
  };
}

function followFile(s: Extract<RecordSource, { kind: 'file' }>, start: SourcePosition, sink: SourceSink, o: FollowOptions): Follower {
  let stopped = false;
  let pos = start.kind === 'file' ? start : undefined;
  let lastProblem = '';
  const p = pause();
  const loop = (async (): Promise<void> => {
    while (!stopped) {
      if (pos === undefined) return sink.event(failed(s, `${s.path}: no position to follow from.`));
      const r = await readTail(pos);
      if (stopped) return;
      for (const e of r.events) {
        // A file that stays unreadable is said once, not every poll.
        if (e.kind === 'unreadable' && e.message === lastProblem) continue;
        lastProblem = e.kind === 'unreadable' ? e.message : '';
        sink.event({ kind: e.kind, source: sourceName(s), services: [s.service], message: e.message });
      }
      if (r.events.length === 0) lastProblem = '';
      if (r.lines.length > 0) sink.lines(s.service, r.lines);
      pos = r.position;
      sink.position(pos);
      if (!r.more) await p.wait(o.pollMs ?? 250);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      p.wake();
      await loop;
    },
  };
}

/** Follows a source from `start` until `stop()`. */
export function followSource(s: RecordSource, start: SourcePosition, sink: SourceSink, o: FollowOptions = {}): Follower {
  return s.kind === 'file' ? followFile(s, start, sink, o) : followJournald(s, start, sink, o);
}
