/**
 * A minimal LSP client for tests, speaking LSP with vscode-languageserver-protocol to
 * either the server started in this process (`TestClient.inProcess`: `startServer` over
 * in-memory streams, with the clock and process table passed in as deps, as
 * vscode-markdown-languageserver tests its server) or the bundled `dist/server.js`
 * spawned over stdio (`TestClient.spawn`: the smoke test of what ships). Waiting is by
 * predicate on received messages, never by sleeping.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

import { SERVER_NODE_FLAGS } from '../../shared/protocol';
import type { ProcessInfo } from '../../shared/journal';
import type { ServerDeps } from '../../server/src/deps';
import { startServer } from '../../server/src/server';
import { watchDirectory } from '../../server/src/watch';

export const SERVER = resolve(__dirname, '../../dist/server.js');

/** A process table from `{ pid: command }`: listed pids run, others do not. */
export function fakeProcesses(table: Record<number, string>): (pid: number) => ProcessInfo {
  return (pid) => (pid in table ? { running: true, command: table[pid] as string } : { running: false });
}

/** Deps for an in-process server: a fixed clock and the given process table; real watches. */
export function testDeps(now: number, processes: Record<number, string> = {}, overrides: Partial<ServerDeps> = {}): ServerDeps {
  const procs = fakeProcesses(processes);
  return {
    now: () => now,
    processTable: () => procs,
    watchDir: watchDirectory,
    random: (n) => new Uint8Array(randomBytes(n)),
    defaultStorageDir: join(tmpdir(), 'hj-test-storage'),
    ...overrides,
  };
}

interface Transport {
  reader: NodeJS.ReadableStream;
  writer: NodeJS.WritableStream;
  /** Ends the server side (kills the process, or ends the streams). */
  stop(): void;
  /** Whether an `exit` notification may be sent: it ends the process it reaches. */
  canExit: boolean;
}

export class TestClient {
  readonly conn: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly refreshes: string[] = [];
  readonly states: Record<string, unknown>[] = [];
  readonly messages: { type: number; message: string }[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  stderr = '';
  /** The server process's pid, for the spawned server. */
  pid: number | undefined;
  /** Resolves with the exit code when the spawned server process ends. */
  exited: Promise<number | null> = Promise.resolve(null);

  /** The bundled server as a process over stdio; `asUser` runs it as another user (through runuser; needs root). */
  static spawn(env: Record<string, string> = {}, asUser?: string): TestClient {
    const node = [process.execPath, ...SERVER_NODE_FLAGS, SERVER, '--stdio'];
    const [cmd, args] = asUser ? ['runuser', ['-u', asUser, '--', ...node]] : [process.execPath, node.slice(1)];
    const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const c = new TestClient({ reader: proc.stdout, writer: proc.stdin, stop: () => proc.kill(), canExit: true });
    c.pid = proc.pid;
    c.exited = new Promise((res) => proc.once('exit', (code) => res(code)));
    proc.stderr.on('data', (d: Buffer) => (c.stderr += d.toString()));
    return c;
  }

  /** `startServer` in this process over in-memory streams, with these deps. */
  static inProcess(deps: ServerDeps): TestClient {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), deps);
    return new TestClient({ reader: toClient, writer: toServer, stop: () => (toServer.end(), toClient.end()), canExit: false });
  }

  private constructor(private readonly transport: Transport) {
    this.conn = createProtocolConnection(new StreamMessageReader(transport.reader), new StreamMessageWriter(transport.writer));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.poke();
    });
    this.conn.onRequest('workspace/textDocumentContent/refresh', (p: { uri: string }) => {
      this.refreshes.push(p.uri);
      this.poke();
    });
    this.conn.onNotification('handoffJournal/journalState', (p: Record<string, unknown>) => {
      this.states.push(p);
      this.poke();
    });
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push(p);
      this.poke();
    });
    this.conn.listen();
  }

  private poke(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.check()) return true;
      w.resolve();
      return false;
    });
  }

  /** Resolves when `check` holds (re-checked on every message), or rejects after `ms`. */
  waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`timed out waiting for ${what}`)), ms);
      this.waiters.push({ check, resolve: () => (clearTimeout(t), res()) });
    });
  }

  /** `pull: true` declares pull diagnostics (as VS Code does) instead of relying on pushed ones. */
  async initialize(initializationOptions: Record<string, unknown> = {}, pull = false): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.conn.sendRequest(InitializeRequest.type, {
      // vscode-languageserver polls a given client pid with a timer that would keep an
      // in-process server (and the test) alive.
      processId: this.transport.canExit ? process.pid : null,
      rootUri: null,
      workspaceFolders: null,
      initializationOptions,
      capabilities: {
        workspace: { textDocumentContent: { dynamicRegistration: false } },
        ...(pull ? { textDocument: { diagnostic: { dynamicRegistration: false } } } : {}),
      },
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return r as unknown as { capabilities: Record<string, unknown> };
  }

  content(uri: string): Promise<{ text: string }> {
    return this.conn.sendRequest('workspace/textDocumentContent', { uri });
  }

  async open(uri: string, text: string): Promise<void> {
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'handoff-journal', version: 1, text } });
  }

  command(
    command: string,
    args: Record<string, unknown>,
  ): Promise<{
    ok: boolean;
    message: string;
    reason?: string;
    forceable?: boolean;
    phase?: string | null;
    sudoCommand?: string;
    sudoArgs?: string[];
    outcome?: string;
    triggerClass?: string;
    handoffId?: string;
    realPath?: string;
  }> {
    return this.conn.sendRequest('workspace/executeCommand', { command, arguments: [args] });
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      // `exit` makes vscode-languageserver end the process: only for a spawned server.
      if (this.transport.canExit) {
        await this.conn.sendNotification('exit');
        await Promise.race([this.exited, new Promise((r) => setTimeout(r, 5000))]);
      }
    } catch {
      // Already gone.
    }
    this.conn.dispose();
    this.transport.stop();
  }
}
