/**
 * The extension's context: owns the language client, the log channel, the latest
 * journal states reported by the server, and every disposable.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import {
  isCommandResult,
  JournalStateNotification,
  type CommandResult,
  type JournalStateParams,
  type ServerCommand,
  type ServerCommandArgs,
} from '../../shared/protocol';
import { createClient } from './client';
import * as notify from './notify';
import { JournalWatchers } from './watchers';

const RESTART = 'Restart Language Server';
import { serverSettings } from './config';

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly states = new Map<string, JournalStateParams>();
  private readonly stateEmitter = new vscode.EventEmitter<JournalStateParams>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private clientPromise: Promise<LanguageClient> | undefined;
  /** Disposed with the client it belongs to (its file watchers). */
  private clientDisposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Handoff Journal', { log: true });
    this.disposables.push(this.log, this.stateEmitter);
  }

  push(...d: vscode.Disposable[]): void {
    this.disposables.push(...d);
  }

  get storagePath(): string {
    return this.extension.globalStorageUri.fsPath;
  }

  /**
   * The running language client, started on first use. A failed start is not kept: the
   * error is shown with Restart, and the next use tries again.
   */
  client(): Promise<LanguageClient> {
    this.clientPromise ??= this.startClient().catch((e: unknown) => {
      this.clientPromise = undefined;
      const why = e instanceof Error ? e.message : String(e);
      this.log.error(`the language server did not start: ${why}`);
      void notify.error(`the language server did not start: ${why}`, RESTART).then((pick) => {
        if (pick === RESTART) void this.restart();
      });
      throw e;
    });
    return this.clientPromise;
  }

  private async startClient(): Promise<LanguageClient> {
    const client = createClient(this.extension.asAbsolutePath('dist/server.js'), this.log, this.storagePath);
    client.onNotification(JournalStateNotification, (s) => {
      this.states.set(s.uri, s);
      this.stateEmitter.fire(s);
    });
    await client.start();
    this.clientDisposables.push(new JournalWatchers(client));
    this.log.info('language server started');
    return client;
  }

  /** Handoff Journal: Restart Language Server. Open views are served again by the new server. */
  async restart(): Promise<void> {
    await this.stopClient();
    this.states.clear();
    await this.client();
    this.log.info('language server restarted');
  }

  private async stopClient(): Promise<void> {
    const c = this.clientPromise;
    this.clientPromise = undefined;
    for (const d of this.clientDisposables.splice(0)) d.dispose();
    if (c) await (await c.catch(() => undefined))?.dispose().catch(() => undefined);
  }

  /** Sends the current settings (and trust) to the server. */
  async pushSettings(): Promise<void> {
    if (!this.clientPromise) return;
    const client = await this.clientPromise;
    await client.sendNotification('workspace/didChangeConfiguration', { settings: { handoffJournal: serverSettings(this.storagePath) } });
  }

  /** Runs one of the server's repair commands. */
  async serverCommand<C extends ServerCommand>(command: C, args: ServerCommandArgs[C]): Promise<CommandResult> {
    const client = await this.client();
    const result: unknown = await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] });
    return isCommandResult(result) ? result : { ok: false, reason: 'bad-arguments', message: `the server gave no result for ${command}` };
  }

  stateOf(fileUri: vscode.Uri): JournalStateParams | undefined {
    return this.states.get(fileUri.toString()) ?? [...this.states.values()].find((s) => vscode.Uri.parse(s.uri).fsPath === fileUri.fsPath);
  }

  async dispose(): Promise<void> {
    await this.stopClient();
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
