/**
 * The simulator writes the real supervisor's log: its line format rebuilds every fixture
 * line byte for byte, each scenario's log reads back (with the shared parser) as the
 * handoff it played, and without a step time it keeps the real timing.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeJournal, formatUuid } from '../../shared/journal';
import {
  parseLog,
  splitLogText,
  unescapeRustDebug,
  type TracingLine,
  handoffIds,
  selectHandoff,
  summariseHandoff,
} from '../../shared/supervisorLog';
import { fixtureLog, LOGS } from '../support/logFixtures';
import { EXPECTED_STATES, SCENARIOS, Simulation, runScenario, type ScenarioName } from '../support/simulator';
import { ABORT_REASON_N_DIED, SEAL_ERROR } from '../support/simulatorLog';
import { rustDebugString, tracingLine } from '../support/tracingFormat';

describe("the simulator's log format", () => {
  it('rebuilds every tracing line of every fixture log byte for byte', () => {
    let n = 0;
    for (const file of readdirSync(LOGS).filter((f) => f.endsWith('.log'))) {
      for (const l of fixtureLog(file).lines.filter((x): x is TracingLine => x.kind === 'tracing')) {
        const fields = Object.fromEntries(l.fields.map((f) => [f.key, f.quoted ? { str: f.value } : f.value]));
        assert.equal(tracingLine(l.level, l.target, l.message, fields, l.timestamp), l.raw, `${file} line ${l.index + 1}`);
        n++;
      }
    }
    assert.equal(n, 45);
  });

  it('quotes String fields as Rust Debug does', () => {
    for (const s of ['plain', 'a "quoted" \\ path', 'line\nbreak\ttab\r\0', 'bell \x07 and é ✓'])
      assert.equal(unescapeRustDebug(rustDebugString(s).slice(1, -1)), s);
    assert.equal(rustDebugString('x "y"\n'), '"x \\"y\\"\\n"');
  });
});

describe('each scenario logs what it does, in real timing', () => {
  let dir: string;
  before(async () => void (dir = await mkdtemp(join(tmpdir(), 'hj-simlog-'))));
  after(() => rm(dir, { recursive: true, force: true }));

  const expected: Record<ScenarioName, { outcome: string; reason?: string }> = {
    happy: { outcome: 'committed' },
    abort: { outcome: 'aborted', reason: ABORT_REASON_N_DIED },
    'seal-failure': { outcome: 'aborted', reason: `seal failed: ${SEAL_ERROR}` },
    'crash-stale': { outcome: 'unknown' },
    illegal: { outcome: 'unknown' },
    killed: { outcome: 'unknown' },
    // The guard-drop line with the successor's pid: the supervisor gave up (err: perform_handoff).
    'old-died': { outcome: 'failed' },
  };

  for (const name of SCENARIOS) {
    it(`${name}: the log reads back as a ${expected[name].outcome} handoff of the journal's id`, async () => {
      const lines: string[] = [];
      const ids = new Set<string>();
      const steps = await runScenario(dir, name, {
        service: name,
        log: (l) => lines.push(l),
        onStep: (s) => void (s.journal && ids.add(formatUuid(s.journal.handoff_id))),
      });
      assert.equal(steps.length, EXPECTED_STATES[name].length);
      const log = parseLog(splitLogText(lines.join('\n')));
      assert.deepEqual(handoffIds(log), [...ids]);
      const sel = selectHandoff(log, [...ids][0] as string);
      assert.ok(sel);
      const s = summariseHandoff(sel);
      assert.equal(s.outcome.kind, expected[name].outcome);
      if (s.outcome.kind === 'aborted') assert.equal(s.outcome.reason, expected[name].reason);
      const left = await readFile(join(dir, name, 'state.bin')).catch(() => undefined);
      const onDisk = left ? decodeJournal(new Uint8Array(left)) : undefined;
      // What the log implies is on disk is what is on disk (but for the buggy writer).
      if (name !== 'illegal') assert.equal(s.diskAtEnd, onDisk?.ok ? onDisk.journal.phase : null);
      if (name === 'killed' || name === 'seal-failure') assert.ok(sel.blocks.some((b) => b.summary.startsWith('Error: wait_for_begin')));
    });
  }

  it('records a given incumbent pid (the supervisor itself) and starts one stand-in successor only', async () => {
    const children = async (): Promise<number> => {
      let n = 0;
      for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
        const stat = await readFile(`/proc/${d}/stat`, 'utf8').catch(() => '');
        if (/^\d+ \(sleep\) \S+ (\d+)/.exec(stat)?.[1] === String(process.pid)) n++;
      }
      return n;
    };
    const counts: number[] = [];
    const steps = await runScenario(dir, 'killed', {
      service: 'own-pid',
      incumbentPid: process.pid,
      onStep: async () => void counts.push(await children()),
    });
    assert.deepEqual(
      steps.map((s) => s.journal?.incumbent_pid),
      [process.pid, process.pid, undefined],
    );
    assert.deepEqual(counts, [1, 1, 1]);
    assert.equal(await children(), 0);
  });

  it('pauses 1-2 ms per phase and deletes Committed and ResumingAfterAbort at once', async () => {
    for (const [name, pauses] of [
      ['happy', [1, 1, 1, 2, 0]],
      ['abort', [1, 1, 1, 2, 1, 0]],
    ] as const) {
      const sim = new Simulation(dir, name, { service: `pause-${name}` });
      const seen: number[] = [];
      try {
        while ((await sim.next()) && !sim.done) seen.push(sim.realPauseMs());
      } finally {
        await sim.stop();
      }
      assert.deepEqual(seen, pauses, name);
    }
  });
});
