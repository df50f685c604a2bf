/**
 * A fake reference supervisor for tests and the demo: a separate process that reads a
 * real supervisor TOML config, binds its trigger socket (and a stand-in control socket
 * for the incumbent), and on `handoff [<binary>]` plays a handoff with the simulator,
 * writing real journals, then replies like `handoff-supervisor` does:
 * `ok: handoff_id=<uuid> committed=<bool> abort_reason=<Option>` or `err: ...`.
 * A binary whose name contains "abort" plays the abort-after-Begin scenario.
 *
 * Module use: `startFakeSupervisor(configPath)`; script use:
 * `node --import tsx test/support/fakeSupervisor.ts CONFIG`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { formatUuid } from '../../shared/uuid';
import { loadSupervisorConfig } from '../../shared/node/supervisorStatus';
import { runScenario } from './simulator';

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
  stop(): Promise<void>;
}

/** Starts the fake supervisor process for a config; resolves once its sockets listen. */
export function startFakeSupervisor(configPath: string, stepMs = 40): Promise<FakeSupervisor> {
  return new Promise((res, rej) => {
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', __filename, configPath, String(stepMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: resolve(__dirname, '../..'),
    });
    const timer = setTimeout(() => (child.kill('SIGKILL'), rej(new Error('fake supervisor did not start within 30 s'))), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) {
        clearTimeout(timer);
        res({
          pid: child.pid as number,
          stop: () =>
            new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once('exit', () => done()), child.kill('SIGTERM')))),
        });
      }
    });
    child.once('exit', (code) => (clearTimeout(timer), rej(new Error(`fake supervisor exited ${code}`))));
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

async function main(configPath: string, stepMs: number): Promise<void> {
  const r = await loadSupervisorConfig(configPath);
  if (!r.ok) throw new Error(r.message);
  const c = r.config;
  const journal = c.journal ?? join(dirname(configPath), 'unused', 'state.bin');
  const servers = [
    await listen(c.controlSocket),
    await listen(c.triggerSocket, async (line) => {
      const [cmd, binary] = line.split(/\s+/);
      if (cmd !== 'handoff') return cmd ? `err: unknown command '${cmd}'` : 'err: empty command';
      const abort = (binary ?? c.binary).includes('abort');
      const steps = await runScenario(dirname(dirname(journal)), abort ? 'abort' : 'happy', {
        service: basename(dirname(journal)),
        stepMs,
      });
      const id = steps.find((s) => s.journal)?.journal?.handoff_id;
      const uuid = id ? formatUuid(id) : '00000000-0000-0000-0000-000000000000';
      return abort
        ? `ok: handoff_id=${uuid} committed=false abort_reason=Some("successor did not send Ready")`
        : `ok: handoff_id=${uuid} committed=true abort_reason=None`;
    }),
  ];
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
  main(process.argv[2] as string, Number(process.argv[3] ?? 400)).catch((e: unknown) => {
    process.stderr.write(`fake supervisor: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
