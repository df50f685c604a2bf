/**
 * A minimal LSP client for tests: starts the bundled server (`dist/server.js --stdio`)
 * as a process and speaks LSP to it with vscode-languageserver-protocol. Waiting is by
 * predicate on received messages, never by sleeping.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
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

import { SERVER_NODE_FLAGS } from '../../shared/serverLaunch';

export const SERVER = resolve(__dirname, '../../dist/server.js');

export class TestClient {
  readonly proc: ChildProcess;
  readonly conn: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly refreshes: string[] = [];
  readonly states: Record<string, unknown>[] = [];
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  stderr = '';

  /** `asUser` runs the server as another user (through runuser; needs root). */
  constructor(env: Record<string, string> = {}, asUser?: string) {
    const node = [process.execPath, ...SERVER_NODE_FLAGS, SERVER, '--stdio'];
    const [cmd, args] = asUser ? ['runuser', ['-u', asUser, '--', ...node]] : [process.execPath, node.slice(1)];
    this.proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
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
      processId: process.pid,
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
  ): Promise<{ ok: boolean; message: string; reason?: string; forceable?: boolean; phase?: string | null; sudoCommand?: string }> {
    return this.conn.sendRequest('workspace/executeCommand', { command, arguments: [args] });
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // Already gone.
    }
    this.conn.dispose();
    this.proc.kill();
  }
}
