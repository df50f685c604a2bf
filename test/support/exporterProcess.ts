/**
 * The bundled CLI's exporter (`dist/cli.js exporter`) as a real process on a loopback
 * port: started, awaited until it says it listens (after it has read up to the log's
 * end), scraped over HTTP, and stopped with SIGTERM (it saves its state) or SIGKILL (a
 * crash). Its stderr is kept for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort, getText } from './prometheus';

const CLI = resolve(__dirname, '../../dist/cli.js');

export interface Exporter {
  url: string;
  port: number;
  pid: number;
  stderr(): string;
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

/**
 * Starts `exporter ARGS --listen 127.0.0.1:PORT` and resolves once it listens (it first
 * reads up to the log's end: `timeoutMs` bounds that; the process is killed past it).
 */
export async function startExporter(args: readonly string[], port?: number, timeoutMs = 30_000): Promise<Exporter> {
  const p = port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, [CLI, 'exporter', ...args, '--listen', `127.0.0.1:${p}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`exporter did not listen within ${timeoutMs / 1000} s: ${stderr}`));
    }, timeoutMs);
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-65536);
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        res();
      }
    });
    void exited.then((code) => (clearTimeout(timer), rej(new Error(`exporter exited ${code}: ${stderr}`))));
  });
  return {
    url: `http://127.0.0.1:${p}`,
    port: p,
    pid: child.pid as number,
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      process.removeListener('exit', kill);
      return code;
    },
  };
}

/** The value of one series in the exporter's /metrics (`name{labels}` as written), or undefined. */
export async function scrapeValue(e: Exporter, series: string): Promise<number | undefined> {
  const text = await getText(`${e.url}/metrics`);
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
