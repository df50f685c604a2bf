/**
 * Retry as Sudo…: runs the bundled CLI as root, on the host where the files are, with
 * the VS Code server's own Node (`process.execPath`), in an integrated terminal named
 * "Handoff Journal (sudo)". No global install is needed. The terminal is ours (a
 * pseudoterminal): it shows the command line, relays the output, and passes the line
 * the user types (the password, never echoed, like sudo) to `sudo -S`. So the extension
 * knows the exit code and the CLI's output: the bytes before and after for the undo
 * record, or sudo's own failure (wrong password, not in sudoers).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { sudoLine } from '../../shared/util';
import type { Ctx } from './ctx';
import { installedLauncher } from './launcher';
import { PasswordInput } from './passwordInput';

export const SUDO_TERMINAL = 'Handoff Journal (sudo)';

export interface SudoRun {
  /** The exit code (null when killed); 1 is sudo's own failure (the CLI never exits 1). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** sudo itself failed (wrong password, not allowed, no sudo): the command did not run. */
  sudoFailed: boolean;
  /** A sentence for a notification when it failed. */
  failure?: string;
}

/** How to run the bundled CLI on this host: the launcher if installed, else this Node and dist/cli.js. */
export function cliInvocation(ctx: Ctx): string[] {
  const launcher = installedLauncher(ctx);
  return launcher ? [launcher] : [process.execPath, ctx.extension.asAbsolutePath('dist/cli.js')];
}

/** The command line shown to people (Copy Command): every control, separator and bidi character escaped (shared/util `sudoLine`). */
export function sudoCliCommand(ctx: Ctx, args: readonly string[]): string {
  return sudoLine([...cliInvocation(ctx), ...args]);
}

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

/** The line sudo wrote about its own failure (the last one that is not its prompt). */
function sudoFailure(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.replace(/\[sudo\] password for [^:]*: ?/g, '').trim())
    .filter(Boolean);
  return lines[lines.length - 1] ?? 'sudo failed';
}

class SudoTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly terminal: vscode.Terminal;
  private opened: Promise<void>;
  private markOpen: () => void = () => undefined;
  private child: ChildProcess | undefined;
  private readonly input = new PasswordInput();
  private queue: Promise<unknown> = Promise.resolve();
  closed = false;

  constructor() {
    this.opened = new Promise((r) => (this.markOpen = r));
    this.terminal = vscode.window.createTerminal({ name: SUDO_TERMINAL, pty: this, iconPath: new vscode.ThemeIcon('shield') });
  }

  open(): void {
    this.markOpen();
  }

  close(): void {
    this.closed = true;
    this.child?.kill();
  }

  /** Typed input goes to sudo line by line, never echoed (a password), read as a terminal would (passwordInput.ts). */
  handleInput(data: string): void {
    const child = this.child;
    if (!child) return;
    for (const e of this.input.feed(data)) {
      if (e.kind === 'line') {
        child.stdin?.write(`${e.text}\n`);
        this.writeEmitter.fire('\r\n');
      } else if (e.kind === 'interrupt') {
        this.writeEmitter.fire('^C\r\n');
        child.kill('SIGINT');
      } else {
        child.stdin?.end();
      }
    }
  }

  /** Runs `sudo -S -- argv…`, one run at a time. */
  run(argv: string[]): Promise<SudoRun> {
    const next = this.queue.then(() => this.runNow(argv));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow(argv: string[]): Promise<SudoRun> {
    this.terminal.show(false);
    await this.opened;
    this.writeEmitter.fire(`\x1b[1m$ ${sudoLine(argv)}\x1b[0m\r\n`);
    this.writeEmitter.fire('(type your password for sudo below and press Enter; it is not shown)\r\n');
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      const child = spawn('sudo', ['-S', '-p', '[sudo] password for %p: ', '--', ...argv], { stdio: 'pipe' });
      this.child = child;
      child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), this.writeEmitter.fire(crlf(d))));
      child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), this.writeEmitter.fire(crlf(d))));
      const done = (code: number | null, spawnError?: string): void => {
        this.child = undefined;
        this.input.reset();
        const sudoFailed = spawnError !== undefined || code === 1;
        const failure = spawnError ?? (code === 0 ? undefined : code === 1 ? sudoFailure(stderr) : undefined);
        this.writeEmitter.fire(`\r\n[exit ${code ?? 'killed'}]\r\n\r\n`);
        resolve({ code, stdout, stderr, sudoFailed, ...(failure ? { failure } : {}) });
      };
      child.on('error', (e: NodeJS.ErrnoException) =>
        done(null, e.code === 'ENOENT' ? 'sudo is not installed on this host' : `sudo could not start: ${e.message}`),
      );
      child.on('close', (code) => done(code));
    });
  }
}

let current: SudoTerminal | undefined;

/** Runs the bundled CLI with `args` through sudo in the "Handoff Journal (sudo)" terminal. */
export function runCliAsSudo(ctx: Ctx, args: string[]): Promise<SudoRun> {
  if (!current || current.closed) {
    const t = new SudoTerminal();
    current = t;
    ctx.push(
      t.terminal,
      vscode.window.onDidCloseTerminal((closed) => {
        if (closed === t.terminal) t.closed = true;
      }),
    );
  }
  return current.run([...cliInvocation(ctx), ...args]);
}
