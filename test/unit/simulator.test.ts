/**
 * The supervisor simulator (test/support/simulator.ts): each scenario leaves the
 * journal in the expected sequence of states, writes real postcard journals that the
 * shared codec decodes, keeps ids/pids/start time fixed within a handoff, records pids
 * of processes that are running while the handoff is, and leaves no `sleep` behind.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJournal, type Phase, formatUuid } from '../../shared/journal';
import { alive } from '../e2e/processes';
import { EXPECTED_STATES, SCENARIOS, STALE_AGE_MS, Simulation, runScenario } from '../support/simulator';

/** Pids of our own `sleep` children that are still in the process table. */
async function sleepChildren(): Promise<number[]> {
  const out: number[] = [];
  for (const d of await readdir('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = await readFile(`/proc/${d}/stat`, 'utf8').catch(() => '');
    const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
    if (m?.[1] === 'sleep' && Number(m[2]) === process.pid) out.push(Number(d));
  }
  return out;
}

async function readState(
  path: string,
): Promise<{ phase: Phase | null; id?: string; inc?: number; succ?: number | null; started?: bigint }> {
  const bytes = await readFile(path).catch(() => undefined);
  if (bytes === undefined) return { phase: null };
  const r = decodeJournal(new Uint8Array(bytes), 'postcard');
  assert.ok(r.ok, `state.bin does not decode: ${r.ok ? '' : r.message}`);
  assert.equal(r.notes.length, 0, 'canonical postcard, no trailing bytes');
  const j = r.journal;
  return { phase: j.phase, id: formatUuid(j.handoff_id), inc: j.incumbent_pid, succ: j.successor_pid, started: j.started_at_unix_ms };
}

describe('supervisor simulator', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hj-sim-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const name of SCENARIOS) {
    it(`${name}: the journal goes through ${EXPECTED_STATES[name].map((p) => p ?? '(deleted)').join(' → ')}`, async () => {
      const service = `svc-${name}`;
      const seen: (Phase | null)[] = [];
      const ids = new Set<string>();
      const fixed = new Set<string>();
      const t0 = Date.now();
      const steps = await runScenario(dir, name, {
        stepMs: 5,
        service,
        onStep: async (step) => {
          const s = await readState(step.path);
          assert.equal(s.phase, step.state, `step ${step.index}: the file holds what the step reports`);
          seen.push(s.phase);
          if (s.phase === null) return;
          ids.add(s.id as string);
          fixed.add(`${s.inc}/${s.succ}/${s.started}`);
          assert.match(s.id as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          assert.equal(typeof s.succ, 'number', 'the reference supervisor always writes Some(successor)');
          const age = t0 - Number(s.started);
          if (name === 'crash-stale') assert.ok(age >= STALE_AGE_MS - 1000, `started ${age} ms ago`);
          else assert.ok(Math.abs(age) < 5000, `started_at is now (${age} ms)`);
          // The recorded supervisor is running while it writes (not after it crashed).
          if (step.action === 'write') assert.ok(alive(s.inc as number), 'incumbent pid is a running process');
        },
      });
      assert.deepEqual(seen, EXPECTED_STATES[name]);
      assert.equal(steps.length, EXPECTED_STATES[name].length);
      assert.equal(ids.size, 1, 'one handoff_id per handoff');
      assert.equal(fixed.size, 1, 'pids and started_at never change within a handoff');
      const pids = steps.flatMap((s) => (s.journal ? [s.journal.incumbent_pid, s.journal.successor_pid as number] : []));
      for (const pid of new Set(pids)) assert.ok(!alive(pid), `pid ${pid} was killed`);
      assert.deepEqual(await sleepChildren(), []);
      assert.deepEqual(
        (await readdir(join(dir, service))).filter((f) => f.endsWith('.tmp')),
        [],
        'no temp file left',
      );
    });
  }

  it('abort: the successor is killed before ResumingAfterAbort is written', async () => {
    const sim = new Simulation(dir, 'abort', { service: 'step' });
    try {
      const states: (string | null)[] = [];
      let successorAliveAtResume: boolean | undefined;
      for (let step = await sim.next(); step; step = await sim.next()) {
        states.push(step.state);
        if (step.state === 'ResumingAfterAbort') successorAliveAtResume = alive(step.journal?.successor_pid as number);
      }
      assert.equal(successorAliveAtResume, false);
      assert.equal(states.at(-1), null);
    } finally {
      await sim.stop();
    }
    assert.deepEqual(await sleepChildren(), []);
  });

  it('an aborted run stops between steps and kills its children', async () => {
    const ctl = new AbortController();
    const steps = await runScenario(dir, 'happy', {
      stepMs: 1000,
      service: 'aborted',
      signal: ctl.signal,
      onStep: () => ctl.abort(),
    });
    assert.equal(steps.length, 1);
    assert.equal((await readState(join(dir, 'aborted', 'state.bin'))).phase, 'Negotiating');
    assert.deepEqual(await sleepChildren(), []);
  });
});
