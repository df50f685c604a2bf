/**
 * A stand-in for the reference `handoff` supervisor: it plays the journal lifecycle of
 * `perform_handoff` (journal-semantics.md, "The life of one journal") against
 * `<dir>/<service>/state.bin`, writing real journals only through the shared atomic-write
 * module and the shared codec. The pids it records are real processes: a `sleep` stands
 * in for the supervisor (incumbent_pid; or the caller gives its own pid, as the fake
 * supervisor does) and another for the successor; both are killed when the scenario
 * ends (the successor earlier when the scenario says it died).
 *
 * Drive it whole with `runScenario`, or one step at a time with `Simulation.next()`.
 * Without `stepMs` a run has the real supervisor's timing (journal-semantics.md,
 * "Observed": each phase on disk 1-2 ms, Committed deleted at once); a `stepMs` slows
 * it down for the demo and the editor tests. With a `log` sink it writes the lines the
 * real supervisor logs at each step, in its `tracing` format with ANSI colours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { encodeJournal, type Encoding, type Journal, type Phase, formatUuid, newV4 } from '../../shared/journal';
import { deleteJournalFile, writeJournalAtomic } from '../../shared/journal/node';
import { eventLines, type LogEvent } from './simulatorLog';
import { PLANS, STALE_AGE_MS, type Mark, type Plan, type ScenarioName, type StepAction } from './simulatorPlans';

export { EXPECTED_STATES, isScenarioName, SCENARIOS, STALE_AGE_MS, type ScenarioName, type StepAction } from './simulatorPlans';

export interface SimStep {
  scenario: ScenarioName;
  /** 0-based index of this step within the scenario. */
  index: number;
  action: StepAction;
  /** The journal written (for `write`). */
  journal?: Journal;
  /** The phase the file holds after this step, `null` when there is no file. */
  state: Phase | null;
  path: string;
  at: Date;
  /** What the supervisor did, in its own terms. */
  description: string;
}

export interface SimOptions {
  /** Subfolder of `dir` holding `state.bin`. Default `live`. */
  service?: string;
  /** Encoding of the journal. Default postcard, as the supervisor writes it. */
  encoding?: Encoding;
  /** Wall clock for started_at. Default Date.now. */
  now?: () => number;
  /** Receives the supervisor's log lines (ANSI-coloured, no newline), e.g. `fileLogSink(path)`. */
  log?: (line: string) => void;
  /**
   * The pid to record as incumbent_pid (the reference supervisor records its own): the
   * caller's process, which then also plays the `kill-incumbent` step. Default: a `sleep`.
   */
  incumbentPid?: number;
  /** For the `handoff.prepare` line; default the reference binary's 25 s and 60 s. */
  drainGraceMs?: number;
  deadlineMs?: number;
}

export interface RunOptions extends SimOptions {
  /**
   * Pause between steps, slowed down for the demo and the editor tests (which watch each
   * phase). Default: the real supervisor's timing (`Simulation.realPauseMs`).
   */
  stepMs?: number;
  /** Called (and awaited) after every step, so a test can check each state before the next. */
  onStep?: (step: SimStep) => void | Promise<void>;
  /** Stops the run between steps; the children are killed and the journal left as it is. */
  signal?: AbortSignal;
}

export function journalPathFor(dir: string, service = 'live'): string {
  return join(dir, service, 'state.bin');
}

function startSleeper(): ChildProcess {
  const child = spawn('sleep', ['3600'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('could not start a `sleep` process');
  return child;
}

async function killAndReap(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/** One handoff, step by step. Call `stop()` when done (also after an error). */
export class Simulation {
  readonly path: string;
  readonly steps: number;
  private readonly plan: Plan;
  private readonly encoding: Encoding;
  private index = 0;
  private state: Phase | null = null;
  private journal: Journal | undefined;
  private incumbent: ChildProcess | undefined;
  private successor: ChildProcess | undefined;
  private readonly now: () => number;
  private readonly opts: SimOptions;
  private readonly marks: Partial<Record<Mark, number>> = {};

  constructor(
    dir: string,
    readonly scenario: ScenarioName,
    opts: SimOptions = {},
  ) {
    this.path = journalPathFor(dir, opts.service);
    this.plan = PLANS[scenario];
    this.steps = this.plan.length;
    this.encoding = opts.encoding ?? 'postcard';
    this.now = opts.now ?? Date.now;
    this.opts = opts;
  }

  get done(): boolean {
    return this.index >= this.plan.length;
  }

  /** The pids recorded in the journal (while the scenario runs). */
  get pids(): { incumbent?: number; successor?: number } {
    return { incumbent: this.opts.incumbentPid ?? this.incumbent?.pid, successor: this.successor?.pid };
  }

  /** Performs the next step; undefined when the scenario is over. */
  async next(): Promise<SimStep | undefined> {
    const planned = this.plan[this.index];
    if (planned === undefined) return undefined;
    if (this.successor === undefined) {
      // S is running and has spawned N before it writes the first journal.
      if (this.opts.incumbentPid === undefined) this.incumbent = startSleeper();
      this.successor = startSleeper();
      this.marks.start = performance.now();
    }
    this.emit(planned.before);
    switch (planned.action) {
      case 'write':
        await this.write(planned.phase as Phase);
        break;
      case 'delete': {
        const r = await deleteJournalFile(this.path);
        if (!r.ok) throw new Error(`simulator: ${r.error.message}`);
        this.state = null;
        break;
      }
      case 'kill-successor':
        await killAndReap(this.successor);
        break;
      case 'kill-incumbent':
        await killAndReap(this.incumbent);
        break;
    }
    if (planned.phase === 'AwaitingReady') this.marks.begin = performance.now();
    this.emit(planned.after);
    const step: SimStep = {
      scenario: this.scenario,
      index: this.index,
      action: planned.action,
      journal: planned.action === 'write' ? this.journal : undefined,
      state: this.state,
      path: this.path,
      at: new Date(),
      description: planned.description,
    };
    this.index++;
    return step;
  }

  /** Kills both stand-in processes; the journal is left as it is. Idempotent. */
  async stop(): Promise<void> {
    await Promise.all([killAndReap(this.successor), killAndReap(this.incumbent)]);
  }

  /** Writes the supervisor's log lines for these events (and marks the times their durations count from). */
  private emit(events: LogEvent[] | undefined): void {
    for (const e of events ?? []) {
      if (e === 'prepare' || e === 'seal') this.marks[e] = performance.now();
      if (!this.opts.log || !this.journal) continue;
      const ctx = {
        id: formatUuid(this.journal.handoff_id),
        successorPid: this.journal.successor_pid ?? 0,
        drainGraceMs: this.opts.drainGraceMs ?? 25_000,
        deadlineMs: this.opts.deadlineMs ?? 60_000,
        // Whole nanoseconds, as Rust's Duration::as_secs_f64 gives them.
        seconds: (since: Mark) => Math.round((performance.now() - (this.marks[since] ?? performance.now())) * 1e6) / 1e9,
        // The log's clock agrees with started_at (long ago for crash-stale).
        at: new Date(this.now() - (this.scenario === 'crash-stale' ? STALE_AGE_MS : 0)),
      };
      for (const line of eventLines(e, ctx)) this.opts.log(line);
    }
  }

  /** The pause after the step just made, in the real supervisor's timing. */
  realPauseMs(): number {
    const made = this.plan[this.index - 1];
    const next = this.plan[this.index];
    // Committed and ResumingAfterAbort are deleted at once; every other phase lasts 1-2 ms.
    if (next?.action === 'delete') return 0;
    return made?.phase === 'AwaitingReady' ? 2 : 1;
  }

  private async write(phase: Phase): Promise<void> {
    if (this.journal === undefined) {
      const startedAt = this.now() - (this.scenario === 'crash-stale' ? STALE_AGE_MS : 0);
      this.journal = {
        handoff_id: newV4((n) => new Uint8Array(randomBytes(n))),
        phase,
        incumbent_pid: this.opts.incumbentPid ?? (this.incumbent?.pid as number),
        successor_pid: this.successor?.pid as number,
        started_at_unix_ms: BigInt(startedAt),
      };
    } else {
      this.journal = { ...this.journal, phase };
    }
    const r = await writeJournalAtomic(this.path, encodeJournal(this.journal, this.encoding));
    if (!r.ok) throw new Error(`simulator: ${r.error.message}`);
    this.state = phase;
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Runs one scenario to its end (or until `signal` aborts); returns the steps made. */
export async function runScenario(dir: string, name: ScenarioName, opts: RunOptions = {}): Promise<SimStep[]> {
  const sim = new Simulation(dir, name, opts);
  const steps: SimStep[] = [];
  try {
    while (!sim.done && !opts.signal?.aborted) {
      const step = await sim.next();
      if (step === undefined) break;
      steps.push(step);
      await opts.onStep?.(step);
      if (!sim.done) await pause(opts.stepMs ?? sim.realPauseMs(), opts.signal);
    }
  } finally {
    await sim.stop();
  }
  return steps;
}

/** One line for a step, e.g. `12:00:01.234 happy[2] write Sealing  O answered SealComplete`. */
export function formatStep(step: SimStep): string {
  const t = step.at.toISOString().slice(11, 23);
  const what = step.action === 'write' ? `write ${step.state ?? ''}` : step.action;
  const pids =
    step.journal !== undefined ? `  (incumbent ${step.journal.incumbent_pid}, successor ${String(step.journal.successor_pid)})` : '';
  return `${t} ${step.scenario}[${step.index}] ${what.padEnd(26)} ${step.description}${pids}`;
}
