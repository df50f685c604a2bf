/** The fleet metrics: observations to samples (pure), the exposition text (prom-client), and the README's list. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exposition } from '../../cli/metrics';
import { decodeJournal, type Finding } from '../../shared/journal';
import {
  fleetSamples,
  journalStateOf,
  METRIC_FAMILIES,
  type HostObservation,
  type JournalObservation,
  type Sample,
} from '../../shared/fleet';
import { fixture } from '../support/rustFixtures';

const NOW = 1_800_000_000_000;
const J = '/var/lib/beyond/handoff/kv/state.bin';

function host(journals: JournalObservation[], extra: Partial<HostObservation> = {}): HostObservation {
  return { now: NOW, configs: [], supervisors: [], journals, ...extra };
}

/** "name{k=v,...} value" lines, for compact assertions. */
function lines(samples: Sample[]): string[] {
  return samples.map(
    (s) =>
      `${s.name}{${Object.entries(s.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')}} ${s.value}`,
  );
}

const finding = (severity: Finding['severity'], code: Finding['code']): Finding => ({ severity, code, message: code });

describe('journalStateOf', () => {
  const bytes = fixture('postcard/064-typical-sealing.bin');
  it('tells missing, unreadable, undecodable and decoded apart', () => {
    assert.deepEqual(journalStateOf({ file: { state: 'missing' } }, undefined), { kind: 'missing' });
    assert.deepEqual(journalStateOf({ file: { state: 'error', message: 'EACCES' } }, undefined), { kind: 'unreadable' });
    const bad = fixture('invalid/024-option-tag-2.bin');
    assert.deepEqual(journalStateOf({ file: { state: 'ok', bytes: bad }, decoded: decodeJournal(bad) }, undefined), {
      kind: 'undecodable',
    });
    const decoded = decodeJournal(bytes);
    assert.ok(decoded.ok);
    const s = journalStateOf({ file: { state: 'ok', bytes }, decoded }, undefined);
    assert.deepEqual(s, { kind: 'decoded', phase: 'Sealing', startedAtUnixMs: decoded.journal.started_at_unix_ms });
  });

  it('asks the process table about incumbent_pid only', () => {
    const decoded = decodeJournal(bytes);
    assert.ok(decoded.ok);
    const asked: number[] = [];
    const s = journalStateOf({ file: { state: 'ok', bytes }, decoded }, (pid) => (asked.push(pid), { running: true }));
    assert.equal(s.kind === 'decoded' && s.writerRunning, true);
    assert.deepEqual(asked, [decoded.journal.incumbent_pid]);
  });
});

describe('fleetSamples', () => {
  const base = { service: 'kv', journal: J };
  it('an idle journal: present 0 and the finding counts, nothing else', () => {
    assert.deepEqual(lines(fleetSamples(host([{ ...base, state: { kind: 'missing' }, findings: [] }]))), [
      `handoff_journal_present{service=kv,journal=${J}} 0`,
      `handoff_journal_findings{service=kv,journal=${J},severity=error} 0`,
      `handoff_journal_findings{service=kv,journal=${J},severity=warning} 0`,
      `handoff_journal_findings{service=kv,journal=${J},severity=information} 0`,
      `handoff_journal_exporter_last_run_timestamp_seconds{} 1800000000`,
    ]);
  });

  it('unreadable: present 1, readable 0, and no decodable (unknown, not undecodable)', () => {
    const l = lines(fleetSamples(host([{ ...base, state: { kind: 'unreadable' }, findings: [finding('error', 'HJ080')] }])));
    assert.ok(l.includes(`handoff_journal_present{service=kv,journal=${J}} 1`));
    assert.ok(l.includes(`handoff_journal_readable{service=kv,journal=${J}} 0`));
    assert.ok(l.includes(`handoff_journal_findings{service=kv,journal=${J},severity=error} 1`));
    assert.equal(l.filter((x) => x.startsWith('handoff_journal_decodable')).length, 0);
  });

  it('undecodable: decodable 0 and no phase, start or writer', () => {
    const names = fleetSamples(host([{ ...base, state: { kind: 'undecodable' }, findings: [] }])).map((s) => `${s.name} ${s.value}`);
    assert.ok(names.includes('handoff_journal_decodable 0'));
    assert.ok(!names.some((n) => /phase|started|writer/.test(n)));
  });

  it('decoded: a six-series state set, the start in seconds, the writer, findings per severity', () => {
    const state = { kind: 'decoded', phase: 'AwaitingReady', startedAtUnixMs: 1_700_000_000_123n, writerRunning: false } as const;
    const findings = [finding('warning', 'HJ040'), finding('information', 'HJ050'), finding('information', 'HJ051')];
    const l = lines(fleetSamples(host([{ ...base, state, findings }])));
    const phases = l.filter((x) => x.startsWith('handoff_journal_phase'));
    assert.equal(phases.length, 6);
    assert.deepEqual(
      phases.filter((x) => x.endsWith(' 1')),
      [`handoff_journal_phase{service=kv,journal=${J},phase=AwaitingReady} 1`],
    );
    assert.ok(l.includes(`handoff_journal_started_timestamp_seconds{service=kv,journal=${J}} 1700000000.123`));
    assert.ok(l.includes(`handoff_journal_writer_running{service=kv,journal=${J}} 0`));
    assert.ok(l.includes(`handoff_journal_findings{service=kv,journal=${J},severity=information} 2`));
    assert.ok(l.includes(`handoff_journal_decodable{service=kv,journal=${J}} 1`));
  });

  it('no writer series when /proc cannot tell', () => {
    const state = { kind: 'decoded', phase: 'Sealing', startedAtUnixMs: 1n } as const;
    assert.ok(!fleetSamples(host([{ ...base, state, findings: [] }])).some((s) => s.name === 'handoff_journal_writer_running'));
  });

  it('supervisors: deadlines always, a socket only when /proc could tell; configs valid or not', () => {
    const l = lines(
      fleetSamples(
        host([], {
          supervisors: [{ service: 'kv', deadlineSecs: 60, drainGraceSecs: 25, sockets: { control: true } }],
          configs: [
            { config: '/etc/handoff/kv.toml', service: 'kv', valid: true },
            { config: '/etc/handoff/bad.toml', service: 'bad', valid: false },
          ],
        }),
      ),
    );
    assert.deepEqual(l, [
      'handoff_supervisor_deadline_seconds{service=kv} 60',
      'handoff_supervisor_drain_grace_seconds{service=kv} 25',
      'handoff_supervisor_socket_bound{service=kv,socket=control} 1',
      'handoff_supervisor_config_valid{service=kv,config=/etc/handoff/kv.toml} 1',
      'handoff_supervisor_config_valid{service=bad,config=/etc/handoff/bad.toml} 0',
      'handoff_journal_exporter_last_run_timestamp_seconds{} 1800000000',
    ]);
  });

  it('a series seen twice keeps its first sample (two configs naming one service)', () => {
    const sup = (deadlineSecs: number) => ({ service: 'kv', deadlineSecs, drainGraceSecs: 25, sockets: {} });
    const l = lines(fleetSamples(host([], { supervisors: [sup(30), sup(90)] })));
    assert.deepEqual(
      l.filter((x) => x.startsWith('handoff_supervisor_deadline')),
      ['handoff_supervisor_deadline_seconds{service=kv} 30'],
    );
  });
});

describe('METRIC_FAMILIES', () => {
  it('names are unique, prefixed handoff_, snake_case; each help is one line', () => {
    const names = METRIC_FAMILIES.map((f) => f.name);
    assert.equal(new Set(names).size, names.length);
    for (const f of METRIC_FAMILIES) {
      assert.match(f.name, /^handoff_[a-z_]+[a-z]$/);
      assert.doesNotMatch(f.help, /\n/);
    }
  });

  it("the README's Fleet monitoring section names every metric", () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Fleet monitoring'), readme.indexOf('\n## ', readme.indexOf('## Fleet monitoring') + 1));
    assert.ok(section.length > 100, 'README has a "## Fleet monitoring" section');
    for (const f of METRIC_FAMILIES) assert.ok(section.includes(f.name), `README Fleet monitoring lists ${f.name}`);
  });
});

describe('exposition', () => {
  it('HELP and TYPE for every family, with or without samples', async () => {
    const text = await exposition([]);
    for (const f of METRIC_FAMILIES) {
      assert.ok(text.includes(`# HELP ${f.name} `), f.name);
      assert.ok(text.includes(`# TYPE ${f.name} gauge\n`), f.name);
    }
  });

  it('escapes label values that hold quotes, backslashes and newlines', async () => {
    const odd = '/srv/we"ird\\dir\nx/state.bin';
    const text = await exposition([{ name: 'handoff_journal_present', labels: { service: 'x', journal: odd }, value: 1 }]);
    assert.ok(text.includes('handoff_journal_present{service="x",journal="/srv/we\\"ird\\\\dir\\nx/state.bin"} 1\n'), text);
  });
});
