/**
 * A stand-in for the reference `handoff` supervisor: it plays the journal lifecycle of
 * `perform_handoff` (journal-semantics.md, "The life of one journal") against
 * `<dir>/<service>/state.bin`, writing real journals only through the shared atomic-write
 * module and the shared codec. The pids it records are real processes: a `sleep` stands
 * in for the supervisor (incumbent_pid) and another for the successor; both are killed
 * when the scenario ends (the successor earlier when the scenario says it died).
 *
 * Drive it whole with `runScenario`, or one step at a time with `Simulation.next()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { encodeJournal } from '../../shared/codec';
import type { Encoding, Journal, Phase } from '../../shared/journal';
import { deleteJournalFile, writeJournalAtomic } from '../../shared/node/journalFile';
import { newV4 } from '../../shared/uuid';

export const SCENARIOS = ['happy', 'abort', 'seal-failure', 'crash-stale', 'illegal'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s);
}

/** What each scenario leaves the journal as after each step (`null`: no file). */
export const EXPECTED_STATES: Readonly<Record<ScenarioName, readonly (Phase | null)[]>> = {
  happy: ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Committed', null],
  abort: ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'AwaitingReady', 'ResumingAfterAbort', null],
  'seal-failure': ['Negotiating', 'Draining', 'Draining', null],
  'crash-stale': ['Negotiating', 'Draining', 'Draining'],
  illegal: ['Negotiating', 'Draining', 'Sealing', 'AwaitingReady', 'Draining'],
};

/** How far in the past the crash-stale scenario's handoff started (past the 300 s deadline). */
export const STALE_AGE_MS = 15 * 60_000;

export type StepAction = 'write' | 'delete' | 'kill-successor' | 'kill-incumbent';

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
}

export interface RunOptions extends SimOptions {
  /** Pause between steps. Default 400 ms. */
  stepMs?: number;
  /** Called (and awaited) after every step, so a test can check each state before the next. */
  onStep?: (step: SimStep) => void | Promise<void>;
  /** Stops the run between steps; the children are killed and the journal left as it is. */
  signal?: AbortSignal;
}

export function journalPathFor(dir: string, service = 'live'): string {
  return join(dir, service, 'state.bin');
}

type Plan = { action: StepAction; phase?: Phase; description: string }[];

/** A handoff starts: Hello/HelloAck, then O drains. */
const DRAINING: Plan = [
  { action: 'write', phase: 'Negotiating', description: 'Hello/HelloAck with O and N done' },
  { action: 'write', phase: 'Draining', description: 'O answered Drained' },
];
/** ...and, past sealing, hands over to N. */
const AWAITING_READY: Plan = [
  ...DRAINING,
  { action: 'write', phase: 'Sealing', description: 'O answered SealComplete' },
  { action: 'write', phase: 'AwaitingReady', description: 'Begin sent to N' },
];

const PLANS: Record<ScenarioName, Plan> = {
  happy: [
    ...AWAITING_READY,
    { action: 'write', phase: 'Committed', description: 'N answered Ready; Commit sent to O' },
    { action: 'delete', description: 'handoff complete: journal deleted' },
  ],
  abort: [
    ...AWAITING_READY,
    { action: 'kill-successor', description: 'N died before answering Ready' },
    { action: 'write', phase: 'ResumingAfterAbort', description: 'N aborted; ResumeAfterAbort sent to O' },
    { action: 'delete', description: 'abort complete: journal deleted' },
  ],
  'seal-failure': [
    ...DRAINING,
    { action: 'kill-successor', description: 'sealing timed out: N aborted' },
    { action: 'delete', description: 'seal failed: journal deleted' },
  ],
  'crash-stale': [
    { action: 'write', phase: 'Negotiating', description: 'Hello/HelloAck with O and N done (started long ago)' },
    { action: 'write', phase: 'Draining', description: 'O answered Drained' },
    { action: 'kill-incumbent', description: 'the supervisor crashed: the journal stays at Draining' },
  ],
  illegal: [
    ...AWAITING_READY,
    { action: 'write', phase: 'Draining', description: 'BUG: a buggy writer moved the same handoff back to Draining' },
  ],
};

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
  }

  get done(): boolean {
    return this.index >= this.plan.length;
  }

  /** The pids recorded in the journal (while the scenario runs). */
  get pids(): { incumbent?: number; successor?: number } {
    return { incumbent: this.incumbent?.pid, successor: this.successor?.pid };
  }

  /** Performs the next step; undefined when the scenario is over. */
  async next(): Promise<SimStep | undefined> {
    const planned = this.plan[this.index];
    if (planned === undefined) return undefined;
    if (this.incumbent === undefined) {
      // S is running and has spawned N before it writes the first journal.
      this.incumbent = startSleeper();
      this.successor = startSleeper();
    }
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

  private async write(phase: Phase): Promise<void> {
    if (this.journal === undefined) {
      const startedAt = this.now() - (this.scenario === 'crash-stale' ? STALE_AGE_MS : 0);
      this.journal = {
        handoff_id: newV4((n) => new Uint8Array(randomBytes(n))),
        phase,
        incumbent_pid: this.incumbent?.pid as number,
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
      if (!sim.done) await pause(opts.stepMs ?? 400, opts.signal);
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
