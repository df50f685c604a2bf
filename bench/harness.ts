/**
 * A small, dependency-free timing harness for the benchmarks: calibrate a batch size,
 * warm up, then time several batches with process.hrtime.bigint() and report the
 * median ns/op. Every section of the benchmark (codec, scan, server latency, ...) is
 * a `Section` built with `measure`, so bench/run.ts can print them side by side.
 */

/** Results are stored here so the JIT cannot drop the measured work as dead code. */
export let sink: unknown;

export interface Measurement {
  name: string;
  /** Median ns per operation over the timed batches. */
  nsPerOp: number;
  /** Fastest and slowest batch, ns per operation. */
  minNs: number;
  maxNs: number;
  opsPerBatch: number;
  batches: number;
}

export interface MeasureOptions {
  /** Time spent running the function before timing starts. */
  warmupMs?: number;
  /** Target duration of one timed batch. */
  batchMs?: number;
  /** Number of timed batches (the median is reported). */
  batches?: number;
}

function runBatch(fn: () => unknown, ops: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) sink = fn();
  return Number(process.hrtime.bigint() - t0);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Measures `fn` and returns its median ns/op. Synchronous work only. */
export function measure(name: string, fn: () => unknown, opts: MeasureOptions = {}): Measurement {
  const warmupMs = opts.warmupMs ?? 150;
  const batchMs = opts.batchMs ?? 60;
  const batches = opts.batches ?? 9;
  // Calibrate: grow the batch until it takes at least 5 ms.
  let ops = 64;
  let ns = runBatch(fn, ops);
  while (ns < 5e6 && ops < 1 << 30) {
    ops *= 4;
    ns = runBatch(fn, ops);
  }
  const opsPerBatch = Math.max(1, Math.round((batchMs * 1e6 * ops) / ns));
  const warmEnd = Date.now() + warmupMs;
  while (Date.now() < warmEnd) runBatch(fn, Math.max(1, opsPerBatch >> 3));
  const per: number[] = [];
  for (let b = 0; b < batches; b++) per.push(runBatch(fn, opsPerBatch) / opsPerBatch);
  return { name, nsPerOp: median(per), minNs: Math.min(...per), maxNs: Math.max(...per), opsPerBatch, batches };
}

/** One block of the report: rows for the table, flat metrics for --json, free-form notes. */
export interface Section {
  title: string;
  rows: Measurement[];
  /** Flat keys such as `codec.postcard.decode_ns`; numbers only. */
  metrics: Record<string, number>;
  /** Extra human-readable lines (ratios, context). */
  notes: string[];
}

export function formatNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

export function formatSection(s: Section): string {
  const w = Math.max(...s.rows.map((r) => r.name.length), 10);
  if (s.rows.length === 0) return [s.title, ...s.notes.map((n) => `  ${n}`)].join('\n');
  const lines = [s.title, `  ${'benchmark'.padEnd(w)}  ${'ns/op'.padStart(10)}  ${'min'.padStart(10)}  ${'max'.padStart(10)}`];
  for (const r of s.rows) {
    lines.push(
      `  ${r.name.padEnd(w)}  ${formatNs(r.nsPerOp).padStart(10)}  ${formatNs(r.minNs).padStart(10)}  ${formatNs(r.maxNs).padStart(10)}`,
    );
  }
  if (s.notes.length > 0) lines.push('', ...s.notes.map((n) => `  ${n}`));
  return lines.join('\n');
}
