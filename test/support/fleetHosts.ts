/**
 * Simulated fleet hosts for the live Prometheus test: each host is a folder with real
 * reference-supervisor TOML configs, real journals (written by the shared codec and
 * atomic writer, or copied from the Rust crates' fixtures) and a node_exporter textfile
 * directory that the real CLI fills. Live writers are real processes (a fake supervisor
 * that binds its sockets, or this test process); dead writers are processes that were
 * started and SIGKILLed, as the supervisor is in journal-semantics.md.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { encodeJournal, type Phase, parseUuid } from '../../shared/journal';
import { writeJournalAtomic } from '../../shared/journal/node';
import { startFakeSupervisor, type FakeSupervisor } from './fakeSupervisor';

export const FIXTURES = resolve(__dirname, '../fixtures/rust');

export interface SimHost {
  /** The `instance` label Prometheus gives it. */
  instance: string;
  dir: string;
  textfile: string;
  configs: string[];
  journals: string[];
  /** Run the CLI with the clock this many seconds behind (faketime): an exporter that stopped. */
  clockBehindSecs?: number;
}

export interface ServicePaths {
  config: string;
  journal: string;
}

/** A reference-supervisor config (the format of test/support/fakeSupervisor.ts writeFakeConfig), with its own deadline. */
export function writeConfig(host: SimHost, service: string, deadlineSecs: number, journalDir = service): ServicePaths {
  const p = {
    config: join(host.dir, 'etc', `${service}.toml`),
    journal: join(host.dir, 'handoff', journalDir, 'state.bin'),
  };
  mkdirSync(join(host.dir, 'etc'), { recursive: true });
  mkdirSync(join(host.dir, 'run'), { recursive: true });
  // JSON string escapes are TOML basic-string escapes, so odd paths stay exact.
  const s = JSON.stringify;
  writeFileSync(
    p.config,
    `control_socket = ${s(join(host.dir, 'run', `${service}-control.sock`))}\nbinary = "/usr/local/bin/${service}"\n` +
      `trigger_socket = ${s(join(host.dir, 'run', `${service}-trigger.sock`))}\njournal = ${s(p.journal)}\n` +
      `deadline_secs = ${deadlineSecs}\ndrain_grace_secs = 2\n[[listeners]]\nname = "http"\naddr = "127.0.0.1:0"\n`,
  );
  host.configs.push(p.config);
  return p;
}

/** Writes a journal as the supervisor would: postcard, through the shared atomic writer. */
export async function writeJournal(
  path: string,
  phase: Phase,
  incumbentPid: number,
  successorPid: number,
  startedMs: number,
): Promise<void> {
  const bytes = encodeJournal(
    {
      handoff_id: parseUuid(randomUUID()) as Uint8Array,
      phase,
      incumbent_pid: incumbentPid,
      successor_pid: successorPid,
      started_at_unix_ms: BigInt(startedMs),
    },
    'postcard',
  );
  const w = await writeJournalAtomic(path, bytes);
  assert.ok(w.ok, w.ok ? '' : w.error.message);
}

/** The pid of a process that ran and was SIGKILLed (and reaped): a supervisor that crashed. */
export async function deadPid(): Promise<number> {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  const pid = child.pid as number;
  await new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGKILL')));
  return pid;
}

function newHost(root: string, name: string): SimHost {
  const dir = join(root, name);
  const textfile = join(dir, 'textfile');
  mkdirSync(textfile, { recursive: true });
  return { instance: `${name}:9100`, dir, textfile, configs: [], journals: [] };
}

/** A service name that needs escaping in the exposition format and in PromQL. */
export const ODD_SERVICE = 'odd "svc"\\ünï\ncode';

export interface Fleet {
  hosts: SimHost[];
  supervisors: FakeSupervisor[];
}

/**
 * stuck: kv at Draining for a minute, past its 5 s deadline, its supervisor alive with
 * both sockets bound; web as old but within its 600 s deadline, written by a live pid.
 * broken: an undecodable journal (Rust fixture), an unreadable one, an invalid config.
 * idle: no journal in flight (one service with a name that needs escaping).
 * crashed: kv at Draining and old at Committed, their supervisor SIGKILLed.
 * stale: an idle host whose exporter last ran ten minutes ago (when faketime exists).
 */
export async function buildFleet(root: string, withStale: boolean): Promise<Fleet> {
  const stuck = newHost(root, 'stuck');
  const kv = writeConfig(stuck, 'kv', 5);
  const sup = await startFakeSupervisor(kv.config);
  try {
    const hosts = [stuck, ...(await buildOthers(root, stuck, kv, sup.pid))];
    if (withStale) {
      const stale = newHost(root, 'stale');
      writeConfig(stale, 'cache', 60);
      stale.clockBehindSecs = 600;
      hosts.push(stale);
    }
    return { hosts, supervisors: [sup] };
  } catch (e) {
    await sup.stop();
    throw e;
  }
}

async function buildOthers(root: string, stuck: SimHost, kv: ServicePaths, supervisorPid: number): Promise<SimHost[]> {
  const now = Date.now();
  const gone = await deadPid();
  await writeJournal(kv.journal, 'Draining', supervisorPid, gone, now - 60_000);
  await writeJournal(writeConfig(stuck, 'web', 600).journal, 'Sealing', process.pid, gone, now - 60_000);

  const broken = newHost(root, 'broken');
  const web = writeConfig(broken, 'web', 60);
  mkdirSync(join(broken.dir, 'handoff', 'web'), { recursive: true });
  copyFileSync(join(FIXTURES, 'invalid/024-option-tag-2.bin'), web.journal);
  // A directory where the journal should be: present, but not a file anyone can read.
  mkdirSync(writeConfig(broken, 'db', 60).journal, { recursive: true });
  writeFileSync(join(broken.dir, 'etc', 'bad.toml'), 'control_socket = "/run/bad.sock"\nbinary = [\n');
  broken.configs.push(join(broken.dir, 'etc', 'bad.toml'));

  const idle = newHost(root, 'idle');
  writeConfig(idle, 'cache', 60);
  writeConfig(idle, 'odd', 60, ODD_SERVICE);

  const crashed = newHost(root, 'crashed');
  await writeJournal(writeConfig(crashed, 'kv', 600).journal, 'Draining', gone, gone, now);
  const old = join(crashed.dir, 'handoff', 'old', 'state.bin');
  await writeJournal(old, 'Committed', gone, gone, now);
  crashed.journals.push(old);
  return [broken, idle, crashed];
}
