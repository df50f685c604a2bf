/**
 * A fake reference supervisor for tests and the demo: a separate process that reads a
 * real supervisor TOML config, binds its trigger socket (and a stand-in control socket
 * for the incumbent), and on `handoff [<binary>]` plays a handoff with the simulator,
 * writing real journals with its own pid as incumbent_pid, then replies like
 * `handoff-supervisor` does: `ok: handoff_id=<uuid> committed=<bool> abort_reason=<None|Some("…")>`
 * or `err: ...`. A binary whose name contains "abort" plays the abort-after-Begin
 * scenario, "seal-fail" a seal failure, "kill" the supervisor killed mid-handoff (it
 * SIGKILLs itself: no reply, the journal stays at Draining). Like the real one, at start
 * it clears a left-behind journal with the two warnings of `resume_from_journal`, and it
 * logs every step in `tracing`'s coloured format to a log file, or else to stderr.
 * Without a step time it has the real supervisor's timing (a few ms per handoff).
 *
 * Module use: `startFakeSupervisor(configPath, stepMs?, { logFile? })`; script use:
 * `node --import tsx test/support/fakeSupervisor.ts CONFIG [STEP_MS|real] [LOG_FILE]`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeJournal, formatUuid } from '../../shared/journal';
import { deleteJournalFile, readJournalFile } from '../../shared/journal/node';
import { loadSupervisorConfig } from '../../shared/supervisor/node';
import { runScenario, type ScenarioName } from './simulator';
import { ABORT_REASON_N_DIED, restartLines, SEAL_ERROR, supervisorRunning } from './simulatorLog';
import { fileLogSink, rustDebugString, tracingLine } from './tracingFormat';

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
}

/**
 * Starts the fake supervisor process for a config; resolves once its sockets listen.
 * `stepMs` slows each step down (for the demo and the editor tests); without it the
 * handoff runs at the real supervisor's speed.
 */
export function startFakeSupervisor(configPath: string, stepMs?: number, opts: FakeSupervisorOptions = {}): Promise<FakeSupervisor> {
  return new Promise((res, rej) => {
    const args = [__filename, configPath, stepMs === undefined ? 'real' : String(stepMs), ...(opts.logFile ? [opts.logFile] : [])];
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

function listen(path: string, onLine?: (line: string) => Promise<string>): Promise<Server> {
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
  return new Promise((r) => server.listen(path, () => r(server)));
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
  if (binary.includes('abort')) return 'abort';
  if (binary.includes('seal-fail')) return 'seal-failure';
  return binary.includes('kill') ? 'killed' : 'happy';
}

const REASONS: Partial<Record<ScenarioName, string>> = { abort: ABORT_REASON_N_DIED, 'seal-failure': `seal failed: ${SEAL_ERROR}` };

async function main(configPath: string, stepMs: number | undefined, logFile: string | undefined): Promise<void> {
  const r = await loadSupervisorConfig(configPath);
  if (!r.ok) throw new Error(r.message);
  const c = r.config;
  const log = logFile ? fileLogSink(logFile) : (line: string): void => void process.stderr.write(`${line}\n`);
  const journal = c.journal ?? join(dirname(configPath), 'unused', 'state.bin');
  if (c.journal) await clearPriorJournal(journal, log);
  const servers = [
    await listen(c.controlSocket),
    await listen(c.triggerSocket, async (line) => {
      const [cmd, binary] = line.split(/\s+/);
      if (cmd !== 'handoff') return cmd ? `err: unknown command '${cmd}'` : 'err: empty command';
      const scenario = scenarioFor(binary ?? c.binary);
      const steps = await runScenario(dirname(dirname(journal)), scenario, {
        service: basename(dirname(journal)),
        ...(stepMs !== undefined ? { stepMs } : {}),
        incumbentPid: process.pid,
        log,
        drainGraceMs: c.drainGraceSecs * 1000,
        deadlineMs: c.deadlineSecs * 1000,
      });
      // SIGKILL, as in the fixture run: no reply (the client sees the connection close), no cleanup.
      if (scenario === 'killed') process.kill(process.pid, 'SIGKILL');
      const id = steps.find((s) => s.journal)?.journal?.handoff_id;
      const uuid = id ? formatUuid(id) : '00000000-0000-0000-0000-000000000000';
      const reason = REASONS[scenario];
      return `ok: handoff_id=${uuid} committed=${reason === undefined} abort_reason=${reason === undefined ? 'None' : `Some(${rustDebugString(reason)})`}`;
    }),
  ];
  log(supervisorRunning(c.binary, process.pid, c.triggerSocket));
  const stop = (): void => {
    for (const s of servers) s.close();
    rmSync(c.triggerSocket, { force: true });
    rmSync(c.controlSocket, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`listening on ${c.triggerSocket}\n`);
}

if (require.main === module) {
  const step = process.argv[3] ?? 'real';
  main(process.argv[2] as string, step === 'real' ? undefined : Number(step), process.argv[4]).catch((e: unknown) => {
    process.stderr.write(`fake supervisor: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
