/**
 * A journal's observed history (shared/journal/history.ts): the cap, the summary of quick
 * handoffs (its window is measured from the summary's first handoff, boundary included),
 * and merging the supervisor's log and trigger replies in time order without repeats.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_HISTORY, mergeEntries, pushEntry, QUICK_SUMMARY_MS, recordQuickHandoff, type HistoryEntry } from '../../shared/journal';

const T0 = 1_700_000_000_000;

function watch(at: number, message = `seen at ${at}`): HistoryEntry {
  return { at, phase: 'Sealing', verdict: 'ok', message };
}
function log(at: number, message: string, handoffId = 'id-1'): HistoryEntry {
  return { at, phase: 'Draining', verdict: 'ok', message, source: 'log', handoffId };
}
const ats = (h: HistoryEntry[]): number[] => h.map((e) => e.at);

describe('the limits', () => {
  test('200 entries, one minute', () => {
    assert.equal(MAX_HISTORY, 200);
    assert.equal(QUICK_SUMMARY_MS, 60_000);
  });
});

describe('pushEntry', () => {
  test('appends below the cap', () => {
    const h: HistoryEntry[] = [];
    for (let i = 0; i < MAX_HISTORY; i++) pushEntry(h, watch(i));
    assert.equal(h.length, MAX_HISTORY);
    assert.deepEqual([h[0]?.at, h.at(-1)?.at], [0, MAX_HISTORY - 1]);
  });

  test('past the cap the oldest goes, one for one', () => {
    const h: HistoryEntry[] = [];
    for (let i = 0; i < MAX_HISTORY + 3; i++) pushEntry(h, watch(i));
    assert.equal(h.length, MAX_HISTORY);
    assert.deepEqual(
      ats(h),
      Array.from({ length: MAX_HISTORY }, (_, i) => i + 3),
    );
  });

  test('a history already over the cap is cut back to the newest entries', () => {
    const h = Array.from({ length: MAX_HISTORY + 10 }, (_, i) => watch(i));
    pushEntry(h, watch(1000));
    assert.equal(h.length, MAX_HISTORY);
    assert.deepEqual([h[0]?.at, h.at(-1)?.at], [11, 1000]);
  });
});

describe('recordQuickHandoff', () => {
  test('the first one is a new counted entry from the watcher, its duration rounded to at least 1 ms', () => {
    const h: HistoryEntry[] = [];
    recordQuickHandoff(h, T0, 4.6);
    assert.equal(h.length, 1);
    const e = h[0] as HistoryEntry;
    assert.deepEqual(
      { ...e, message: '' },
      {
        at: T0,
        phase: null,
        verdict: 'none',
        count: 1,
        longestMs: 5,
        label: 'at least 1 handoff ran',
        source: 'watch',
        message: '',
      },
    );
    assert.match(e.message, /^at least 1 handoff ran and ended within 5 ms, between two reads/);
    const zero: HistoryEntry[] = [];
    recordQuickHandoff(zero, T0, 0.2);
    assert.equal(zero[0]?.longestMs, 1);
    assert.match(zero[0]?.message ?? '', /within 1 ms/);
  });

  test('more within the window fold into that entry: the count, the longest duration, the label and message', () => {
    const h: HistoryEntry[] = [watch(T0 - 5000)];
    recordQuickHandoff(h, T0, 5);
    recordQuickHandoff(h, T0 + 10_000, 12);
    recordQuickHandoff(h, T0 + 20_400, 3);
    assert.equal(h.length, 2, 'the earlier entry and one summary');
    const s = h[1] as HistoryEntry;
    assert.deepEqual([s.at, s.count, s.longestMs, s.label], [T0, 3, 12, 'at least 3 handoffs ran']);
    assert.equal(
      s.message,
      "at least 3 handoffs ran and ended within 20 s of each other, between reads (the longest gap 12 ms): their journals were written and deleted too fast to see a phase; a directory watch cannot count handoffs that come faster than it reads; the supervisor's log can (journald, or handoffJournal.supervisor.logFiles).",
    );
  });

  test('the window is measured from the summary\u2019s first handoff: exactly 60 s folds, 1 ms more starts a new entry', () => {
    const h: HistoryEntry[] = [];
    recordQuickHandoff(h, T0, 5);
    recordQuickHandoff(h, T0 + 59_000, 5);
    recordQuickHandoff(h, T0 + QUICK_SUMMARY_MS, 5);
    assert.deepEqual([h.length, h[0]?.count], [1, 3], 'at the boundary: folded');
    recordQuickHandoff(h, T0 + QUICK_SUMMARY_MS + 1, 7);
    assert.equal(h.length, 2, 'only 1 ms after the previous handoff, but 60.001 s after the first');
    assert.deepEqual([h[1]?.at, h[1]?.count, h[1]?.longestMs, h[1]?.label], [T0 + QUICK_SUMMARY_MS + 1, 1, 7, 'at least 1 handoff ran']);
    assert.equal(h[0]?.count, 3, 'the earlier summary is left as it was');
  });

  test('a later duration that is shorter keeps the longest', () => {
    const h: HistoryEntry[] = [];
    recordQuickHandoff(h, T0, 40);
    recordQuickHandoff(h, T0 + 1, 2);
    assert.equal(h[0]?.longestMs, 40);
    recordQuickHandoff(h, T0 + 2, 41.4);
    assert.equal(h[0]?.longestMs, 41);
  });

  test('anything observed in between starts a new summary', () => {
    const h: HistoryEntry[] = [];
    recordQuickHandoff(h, T0, 5);
    pushEntry(h, watch(T0 + 1000));
    recordQuickHandoff(h, T0 + 2000, 5);
    assert.deepEqual(
      h.map((e) => e.count),
      [1, undefined, 1],
    );
  });

  test('a counted entry from the log or a reply is never folded into; a counted watcher entry without a source is', () => {
    for (const source of ['log', 'reply'] as const) {
      const h: HistoryEntry[] = [{ at: T0, phase: null, verdict: 'none', message: 'from outside', count: 4, source }];
      recordQuickHandoff(h, T0 + 1, 5);
      assert.deepEqual([h.length, h[0]?.count, h[0]?.message], [2, 4, 'from outside'], source);
    }
    const h: HistoryEntry[] = [{ at: T0, phase: null, verdict: 'none', message: 'old', count: 2, longestMs: 9 }];
    recordQuickHandoff(h, T0 + 1, 5);
    assert.deepEqual([h.length, h[0]?.count, h[0]?.longestMs], [1, 3, 9]);
  });

  test('new summaries respect the cap', () => {
    const h = Array.from({ length: MAX_HISTORY }, (_, i) => watch(i));
    recordQuickHandoff(h, T0, 5);
    assert.equal(h.length, MAX_HISTORY);
    assert.deepEqual([h[0]?.at, h.at(-1)?.count], [1, 1]);
  });
});

describe('mergeEntries', () => {
  test('places log and reply entries among the watcher entries in time order', () => {
    const h = [watch(T0), watch(T0 + 30), watch(T0 + 60)];
    mergeEntries(h, [log(T0 + 45, 'b'), log(T0 - 10, 'first'), { ...log(T0 + 15, 'a'), source: 'reply' }]);
    assert.deepEqual(ats(h), [T0 - 10, T0, T0 + 15, T0 + 30, T0 + 45, T0 + 60]);
    assert.deepEqual(
      h.map((e) => e.source ?? 'watch'),
      ['log', 'watch', 'reply', 'watch', 'log', 'watch'],
    );
  });

  test('at the same time an entry already there stays first; new ones keep their given order', () => {
    const h = [watch(T0, 'w')];
    mergeEntries(h, [log(T0, 'x'), log(T0, 'y')]);
    assert.deepEqual(
      h.map((e) => e.message),
      ['w', 'x', 'y'],
    );
  });

  test('merging the same entries again adds nothing', () => {
    const h = [watch(T0)];
    const entries = [log(T0 + 1, 'a'), log(T0 + 2, 'b')];
    mergeEntries(h, entries);
    const once = structuredClone(h);
    mergeEntries(h, entries);
    mergeEntries(h, [{ ...log(T0 + 2, 'b') }, log(T0 + 3, 'c')]);
    assert.deepEqual(
      h.map((e) => e.message),
      [...once.map((e) => e.message), 'c'],
    );
  });

  test('a repeat is the same source, time, handoff id and message; any one differing is a new entry', () => {
    const base = log(T0, 'm', 'id-1');
    const h = [base];
    mergeEntries(h, [{ ...base, verdict: 'error', phase: 'Sealing' }]);
    assert.equal(h.length, 1, 'verdict and phase are not part of the identity');
    mergeEntries(h, [
      { ...base, source: 'reply' },
      { ...base, at: T0 + 1 },
      { ...base, handoffId: 'id-2' },
      { ...base, message: 'n' },
    ]);
    assert.equal(h.length, 5);
    const noId: HistoryEntry = { ...base };
    delete noId.handoffId;
    mergeEntries(h, [noId]);
    assert.equal(h.length, 6, 'no handoff id differs from id-1');
  });

  test('a watcher entry with no source and one marked watch are the same entry', () => {
    const h = [watch(T0, 'w')];
    mergeEntries(h, [{ ...watch(T0, 'w'), source: 'watch' }]);
    assert.equal(h.length, 1);
  });

  test('nothing new: the history is left exactly as it was, even out of order', () => {
    const h = [watch(T0 + 5), watch(T0)];
    mergeEntries(h, [watch(T0)]);
    mergeEntries(h, []);
    assert.deepEqual(ats(h), [T0 + 5, T0]);
  });

  test('past the cap the oldest go, whichever side they came from', () => {
    const h = Array.from({ length: MAX_HISTORY }, (_, i) => watch(T0 + 10 * i));
    mergeEntries(h, [log(T0 - 1, 'older than all'), log(T0 + 15, 'middle'), log(T0 + 10 * MAX_HISTORY, 'newest')]);
    assert.equal(h.length, MAX_HISTORY);
    assert.equal(
      h.some((e) => e.message === 'older than all'),
      false,
    );
    assert.deepEqual([h[0]?.message, h[1]?.at, h.at(-1)?.message], ['middle', T0 + 20, 'newest'], 'the log entry, T0 and T0+10 dropped');
    assert.deepEqual(
      ats(h),
      [...ats(h)].sort((a, b) => a - b),
    );
  });

  test('a quick summary followed by a merged log entry: the next quick handoff starts a new summary', () => {
    const h: HistoryEntry[] = [];
    recordQuickHandoff(h, T0, 5);
    mergeEntries(h, [log(T0 + 1000, 'the supervisor logged a handoff')]);
    recordQuickHandoff(h, T0 + 2000, 5);
    assert.deepEqual(
      h.map((e) => e.count),
      [1, undefined, 1],
    );
  });
});
