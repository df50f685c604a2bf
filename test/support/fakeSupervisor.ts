/**
 * A fake reference supervisor for tests and the demo: a separate process that reads a
 * real supervisor TOML config, binds its trigger socket (and a stand-in control socket
 * for the incumbent), and on `handoff [<binary>]` plays a handoff with the simulator,
 * writing real journals with its own pid as incumbent_pid, then replies like
 * `handoff-supervisor` does: `ok: handoff_id=<uuid> committed=<bool> abort_reason=<None|Some("…")>`
 * or `err: ...`. A binary whose name contains "abort" plays the abort-after-Begin
 * scenario, "seal-fail" a seal failure, "kill" the supervisor killed mid-handoff (it
 * SIGKILLs itself: no reply, the journal stays at Draining), "old-dies" the old process
 * dying after Drained (upstream's crash matrix at o-after-drained-sent: `err:
 * perform_handoff`, the guard-drop warning, the successor killed, the supervisor idle and
 * the journal left at Draining). Like the real one, at start it clears a left-behind
 * journal with the two warnings of `resume_from_journal`, and it logs every step in
 * `tracing`'s coloured format to a log file, or else to stderr. Without a step time it
 * has the real supervisor's timing (a few ms per handoff).
 *
 * Two behaviours: 0.1 (the default; sockets 0755, any peer, any binary, lines read to
 * their newline) and 0.2 (`version: '0.2'`: fakeTrigger02.ts: 0600 sockets, the peer's
 * uid checked against `allowed_uids`, the binary allowlist, the 4,096-byte cut and the
 * 10 s read timeout).
 *
 * Module use: `startFakeSupervisor(configPath, stepMs?, { logFile?, version?, socketMode?, readTimeoutMs? })`;
 * script use: `node --import tsx test/support/fakeSupervisor.ts CONFIG [STEP_MS|real] [LOG_FILE] [--v0.2] [--socket-mode=OCTAL] [--read-timeout-ms=N]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeJournal, formatUuid } from '../../shared/journal';
import { deleteJournalFile, readJournalFile } from '../../shared/journal/node';
import { loadSupervisorConfig, type SupervisorConfig } from '../../shared/supervisor/node';
import { runScenario, type ScenarioName } from './simulator';
import { ABORT_REASON_N_DIED, restartLines, SEAL_ERROR, supervisorRunning } from './simulatorLog';
import { fileLogSink, rustDebugString, tracingLine } from './tracingFormat';
import { listen02, TRIGGER_READ_TIMEOUT_MS } from './fakeTrigger02';

export interface FakeConfigPaths {
  config: string;
  journal: string;
  trigger: string;
  control: string;
}

/** Writes a supervisor config for `service` under `dir` (journal at dir/handoff/<service>/state.bin). */
export function writeFakeConfig(dir: string, service: string, extra = ''): FakeConfigPaths {
  const p: FakeConfigPaths = {
    config: join(dir, 'etc', `${service}.toml`),
    journal: join(dir, 'handoff', service, 'state.bin'),
    trigger: join(dir, 'run', `${service}-trigger.sock`),
    control: join(dir, 'run', `${service}-control.sock`),
  };
  mkdirSync(dirname(p.config), { recursive: true });
  mkdirSync(dirname(p.trigger), { recursive: true });
  writeFileSync(
    p.config,
    `# handoff-supervisor --config ${p.config}\ncontrol_socket = "${p.control}"\nbinary = "/usr/local/bin/${service}"\nargs = ["--data", "/var/lib/${service}"]\n` +
      `env = [["RUST_LOG", "info"]]\ntrigger_socket = "${p.trigger}"\njournal = "${p.journal}"\ndeadline_secs = 30\ndrain_grace_secs = 10\n` +
      `${extra}\n[[listeners]]\nname = "http"\naddr = "127.0.0.1:0"\n`,
  );
  return p;
}

/** A folder nobody can traverse, with binaries the 0.2 allowlist names (their names pick the fake's scenario). */
export function triggerHost(prefix: string): { root: string; bin: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'bin'), { recursive: true });
  for (const b of ['kv-abort', 'kv-next', 'kv-old-dies']) {
    writeFileSync(join(root, 'bin', b), '#!/bin/sh\n');
    chmodSync(join(root, 'bin', b), 0o755);
  }
  return { root, bin: (name) => join(root, 'bin', name) };
}

export interface FakeSupervisor {
  pid: number;
  /** What it wrote to stderr so far (its log lines, when no log file was given). */
  stderr(): string;
  /** Resolves when the process has exited (after `stop()`, or a "kill" trigger). */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export interface FakeSupervisorOptions {
  /** Where it logs (appending); default its stderr. */
  logFile?: string;
  /** Which supervisor it behaves like; default 0.1. */
  version?: '0.1' | '0.2';
  /** 0.2: the trigger socket's mode after binding (default 0600; 0666 is a deployment that relaxed it). */
  socketMode?: number;
  /** 0.2: the timeout of each read of a client's line (default 10 s, the real one). */
  readTimeoutMs?: number;
}

function flags(o: FakeSupervisorOptions): string[] {
  return [
    ...(o.version === '0.2' ? ['--v0.2'] : []),
    ...(o.socketMode !== undefined ? [`--socket-mode=${o.socketMode.toString(8)}`] : []),
    ...(o.readTimeoutMs !== undefined ? [`--read-timeout-ms=${o.readTimeoutMs}`] : []),
  ];
}

/**
 * Starts the fake supervisor process for a config; resolves once its sockets listen.
 * `stepMs` slows each step down (for the demo and the editor tests); without it the
 * handoff runs at the real supervisor's speed.
 */
export function startFakeSupervisor(configPath: string, stepMs?: number, opts: FakeSupervisorOptions = {}): Promise<FakeSupervisor> {
  return new Promise((res, rej) => {
    const args = [
      __filename,
      configPath,
      stepMs === undefined ? 'real' : String(stepMs),
      ...(opts.logFile ? [opts.logFile] : []),
      ...flags(opts),
    ];
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: resolve(__dirname, '../..'),
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-1_000_000)));
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const timer = setTimeout(() => (child.kill('SIGKILL'), rej(new Error('fake supervisor did not start within 30 s'))), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) {
        clearTimeout(timer);
        res({
          pid: child.pid as number,
          stderr: () => stderr,
          exited,
          stop: () => (child.exitCode === null && child.signalCode === null && child.kill('SIGTERM'), exited),
        });
      }
    });
    child.once('exit', (code) => (clearTimeout(timer), rej(new Error(`fake supervisor exited ${code}: ${stderr}`))));
  });
}

/** 0.1's socket (0755 under umask 022), or a 0600 one (`private`) like 0.2's control socket. */
function listen(path: string, onLine?: (line: string) => Promise<string>, isPrivate = false): Promise<Server> {
  rmSync(path, { force: true });
  let queue = Promise.resolve();
  const server = createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0 || !onLine) return;
      const line = buf.slice(0, nl).trim();
      // One client at a time, like the reference supervisor's trigger loop.
      queue = queue.then(async () => void sock.end(`${await onLine(line)}\n`));
    });
    sock.on('error', () => undefined);
  });
  const old = isPrivate ? process.umask(0o177) : undefined;
  return new Promise((r) =>
    server.listen(path, () => {
      if (old !== undefined) process.umask(old);
      r(server);
    }),
  );
}

/** `resume_from_journal`: a journal left by a dead supervisor is logged, then deleted. */
async function clearPriorJournal(journal: string, log: (line: string) => void): Promise<void> {
  const read = await readJournalFile(journal);
  if (read.state !== 'ok') return;
  const d = decodeJournal(read.bytes);
  if (d.ok) for (const line of restartLines(formatUuid(d.journal.handoff_id), d.journal.phase)) log(line);
  else log(tracingLine('WARN', 'handoff_supervisor', 'resume_from_journal failed; continuing', { error: `postcard: ${d.message}` }));
  if (d.ok) await deleteJournalFile(journal);
}

function scenarioFor(binary: string): ScenarioName {
  if (binary.includes('old-dies')) return 'old-died';
  if (binary.includes('abort')) return 'abort';
  if (binary.includes('seal-fail')) return 'seal-failure';
  return binary.includes('kill') ? 'killed' : 'happy';
}

const REASONS: Partial<Record<ScenarioName, string>> = { abort: ABORT_REASON_N_DIED, 'seal-failure': `seal failed: ${SEAL_ERROR}` };

interface Run {
  c: SupervisorConfig;
  journal: string;
  stepMs: number | undefined;
  log: (line: string) => void;
  /** Stops the control socket's stand-in: the old process died. */
  oldDied: () => void;
}

/** `handle_trigger`: a handoff played with the simulator, or the supervisor's error for another command. */
async function handle(run: Run, cmd: string, binary: string | undefined): Promise<string> {
  if (cmd !== 'handoff') return cmd ? `err: unknown command '${cmd}'` : 'err: empty command';
  const { c, journal } = run;
  const scenario = scenarioFor(binary ?? c.binary);
  const steps = await runScenario(dirname(dirname(journal)), scenario, {
    service: basename(dirname(journal)),
    ...(run.stepMs !== undefined ? { stepMs: run.stepMs } : {}),
    incumbentPid: process.pid,
    log: run.log,
    drainGraceMs: c.drainGraceSecs * 1000,
    deadlineMs: c.deadlineSecs * 1000,
  });
  // SIGKILL, as in the fixture run: no reply (the client sees the connection close), no cleanup.
  if (scenario === 'killed') process.kill(process.pid, 'SIGKILL');
  // perform_handoff's error: anyhow's outermost context is all the reply says.
  if (scenario === 'old-died') return (run.oldDied(), 'err: perform_handoff');
  const id = steps.find((s) => s.journal)?.journal?.handoff_id;
  const uuid = id ? formatUuid(id) : '00000000-0000-0000-0000-000000000000';
  const reason = REASONS[scenario];
  return `ok: handoff_id=${uuid} committed=${reason === undefined} abort_reason=${reason === undefined ? 'None' : `Some(${rustDebugString(reason)})`}`;
}

async function main(configPath: string, stepMs: number | undefined, logFile: string | undefined, o: FakeSupervisorOptions): Promise<void> {
  const r = await loadSupervisorConfig(configPath);
  if (!r.ok) throw new Error(r.message);
  const c = r.config;
  // 0.1's serde Config does not know them (test/fixtures/supervisor-0.2/01-old-build-rejects-new-fields.stderr).
  if (o.version !== '0.2' && c.newFields.length > 0) throw new Error(`parse config: unknown field \`${c.newFields[0]}\` (0.1)`);
  const log = logFile ? fileLogSink(logFile) : (line: string): void => void process.stderr.write(`${line}\n`);
  const journal = c.journal ?? join(dirname(configPath), 'unused', 'state.bin');
  if (c.journal) await clearPriorJournal(journal, log);
  const v02 = o.version === '0.2';
  const control = await listen(c.controlSocket, undefined, v02);
  const run: Run = { c, journal, stepMs, log, oldDied: () => void control.close() };
  const trigger = v02
    ? await listen02(c.triggerSocket, o.socketMode ?? 0o600, {
        allowedUids: c.allowedUids,
        binary: c.binary,
        allowedBinaries: c.allowedBinaries,
        readTimeoutMs: o.readTimeoutMs ?? TRIGGER_READ_TIMEOUT_MS,
        log,
        handle: (cmd, binary) => handle(run, cmd, binary),
      })
    : await listen(c.triggerSocket, (line) => {
        const [cmd, binary] = line.split(/\s+/);
        return handle(run, cmd ?? '', binary);
      });
  log(supervisorRunning(c.binary, process.pid, c.triggerSocket));
  const stop = (): void => {
    for (const srv of [control, trigger]) srv.close();
    rmSync(c.triggerSocket, { force: true });
    rmSync(c.controlSocket, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`listening on ${c.triggerSocket}\n`);
}

if (require.main === module) {
  const [configPath, step = 'real', ...rest] = process.argv.slice(2);
  const logFile = rest.find((a) => !a.startsWith('--'));
  const flag = (name: string): string | undefined => rest.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const o: FakeSupervisorOptions = {
    ...(rest.includes('--v0.2') ? { version: '0.2' as const } : {}),
    ...(flag('socket-mode') !== undefined ? { socketMode: parseInt(flag('socket-mode') as string, 8) } : {}),
    ...(flag('read-timeout-ms') !== undefined ? { readTimeoutMs: Number(flag('read-timeout-ms')) } : {}),
  };
  main(configPath as string, step === 'real' ? undefined : Number(step), logFile, o).catch((e: unknown) => {
    process.stderr.write(`fake supervisor: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
