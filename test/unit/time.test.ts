/** The one duration module (shared/util/time.ts): unit splitting and each printed form. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampDelay, formatAge, formatDuration, formatSeconds, MAX_TIMER_MS, shortAge, splitDuration } from '../../shared/util';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('splitDuration', () => {
  it('splits into whole days, hours, minutes and seconds, of the absolute value', () => {
    const n = (ms: number): number[] => splitDuration(ms).map((p) => p.n);
    assert.deepEqual(n(3 * D + 4 * H + 5 * M + 6 * S + 999), [3, 4, 5, 6]);
    assert.deepEqual(n(-(2 * H + 30 * S)), [0, 2, 0, 30]);
    assert.deepEqual(n(999), [0, 0, 0, 0]);
    assert.deepEqual(n(Number.NaN), [0, 0, 0, 0]);
    assert.deepEqual(
      splitDuration(0).map((p) => p.unit),
      ['d', 'h', 'm', 's'],
    );
  });
});

describe('formatAge', () => {
  it('gives the two largest units, ago or in the future', () => {
    assert.deepEqual([0, 10 * S, 59 * S + 999, 65 * S, H, 2 * H + 10 * M + 7 * S, 1109 * D + 3 * H + 59 * M].map(formatAge), [
      '0s ago',
      '10s ago',
      '59s ago',
      '1m 05s ago',
      '1h 00m ago',
      '2h 10m ago',
      '1109d 3h ago',
    ]);
    assert.equal(formatAge(-2 * M), 'in 2m 00s');
    assert.equal(formatAge(-5 * S), 'in 5s');
  });
});

describe('shortAge', () => {
  it('gives one unit of a timestamp against now, and nothing for no timestamp', () => {
    assert.equal(shortAge(1000, 61_000), '1m ago');
    assert.equal(shortAge(0, 59_000), '59s ago');
    assert.equal(shortAge(0, 3 * H + 59 * M), '3h ago');
    assert.equal(shortAge(0, 2 * D + 23 * H), '2d ago');
    assert.equal(shortAge(100_000, 0), 'in the future');
    // A journal stamped a few hundred ms ahead of this clock is not "in the future".
    assert.equal(shortAge(1_400, 1_000), '0s ago');
    assert.equal(shortAge(undefined, 0), '');
    assert.equal(shortAge(Number.NaN, 0), '');
  });
});

describe('formatDuration', () => {
  it('formats durations in ms, s, min, h and days', () => {
    assert.deepEqual(
      [0, 1, 999, 1000, 2149, 59_999, 60_000, 65_000, 3_599_999, 3_600_000, 7_800_000, 86_400_000, 100_000_000].map(formatDuration),
      ['0 ms', '1 ms', '999 ms', '1.0 s', '2.1 s', '59.9 s', '1m 00s', '1m 05s', '59m 59s', '1h 00m', '2h 10m', '1d 0h', '1d 3h'],
    );
    assert.equal(formatDuration(-5), '0 ms');
  });
});

describe('formatSeconds', () => {
  it("prints the supervisor's step durations: ms under a second, s with two decimals, then as formatDuration", () => {
    assert.deepEqual([0.0188, 0.7, 1, 2.349, 59.994, 75.2, 3725].map(formatSeconds), [
      '18.8 ms',
      '700.0 ms',
      '1.00 s',
      '2.35 s',
      '59.99 s',
      '1m 15s',
      '1h 02m',
    ]);
  });
});

describe('clampDelay', () => {
  it('bounds a delay to what setTimeout honours', () => {
    assert.deepEqual([Number.NaN, -1, 0, 5, MAX_TIMER_MS + 1, Infinity].map(clampDelay), [0, 0, 0, 5, MAX_TIMER_MS, MAX_TIMER_MS]);
  });
});
