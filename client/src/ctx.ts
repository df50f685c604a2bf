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
import { serverSettings } from './config';

export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly states = new Map<string, JournalStateParams>();
  private readonly stateEmitter = new vscode.EventEmitter<JournalStateParams>();
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private clientPromise: Promise<LanguageClient> | undefined;

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

  /** The running language client, started on first use. */
  client(): Promise<LanguageClient> {
    this.clientPromise ??= this.startClient();
    return this.clientPromise;
  }

  private async startClient(): Promise<LanguageClient> {
    const client = createClient(this);
    client.onNotification(JournalStateNotification, (s) => {
      this.states.set(s.uri, s);
      this.stateEmitter.fire(s);
    });
    await client.start();
    this.log.info('language server started');
    return client;
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
    const c = this.clientPromise;
    this.clientPromise = undefined;
    if (c) await (await c).dispose().catch(() => undefined);
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
