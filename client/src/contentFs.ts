/**
 * The client side of LSP 3.18 `workspace/textDocumentContent`, surfaced through a
 * read-only FileSystemProvider instead of vscode-languageclient's built-in
 * TextDocumentContentProvider.
 *
 * Why: the server, the protocol and the requests are the standard ones, but a document
 * from a content provider gives VS Code no way to say *why* it cannot be edited (typing
 * shows the generic "Cannot edit in read-only editor"). A file system registered with
 * `isReadonly: MarkdownString` makes VS Code show our reason, with links to the commands
 * that do change a journal. It also lets VS Code restore decoded tabs after a reload
 * (`onFileSystem:handoff-journal` activates us) and reload a view like a changed file
 * when the server sends `workspace/textDocumentContent/refresh`.
 *
 * This feature replaces the built-in one (see `HandoffLanguageClient.registerFeature`);
 * running both would let the content provider's refresh edit the file-backed model
 * behind VS Code's back.
 */
import * as vscode from 'vscode';
import {
  TextDocumentContentRefreshRequest,
  TextDocumentContentRequest,
  type BaseLanguageClient,
  type ClientCapabilities,
  type DynamicFeature,
  type FeatureState,
  type RegistrationData,
  type ServerCapabilities,
  type TextDocumentContentRegistrationOptions,
} from 'vscode-languageclient/node';
import { notificationText } from '../../shared/util';
import { LOG_SCHEME, SCHEME } from '../../shared/protocol';

/** The reason VS Code shows when someone types into a decoded view (or a supervisor-log view). */
export function readonlyReason(scheme = SCHEME): vscode.MarkdownString {
  if (scheme === LOG_SCHEME) {
    const log = new vscode.MarkdownString(
      "This is the **supervisor's log** for one handoff, read from journald, a log file or a command; it cannot be edited. " +
        '[Refresh](command:handoffJournal.refresh) reads it again.',
    );
    log.isTrusted = { enabledCommands: ['handoffJournal.refresh'] };
    return log;
  }
  const md = new vscode.MarkdownString(
    'This is the **decoded view** of a binary handoff journal: it is generated from the file and cannot be edited. ' +
      'To change the journal use [Reset Phase…](command:handoffJournal.resetPhase), ' +
      '[Delete Journal…](command:handoffJournal.deleteJournal) or ' +
      '[Undo Last Change](command:handoffJournal.undoLastChange) (they ask first, and write atomically like the supervisor).',
  );
  md.isTrusted = { enabledCommands: ['handoffJournal.resetPhase', 'handoffJournal.deleteJournal', 'handoffJournal.undoLastChange'] };
  return md;
}

interface Cached {
  bytes: Uint8Array;
  mtime: number;
  /** False once the server said the text may have changed: the next stat/read asks again. */
  fresh: boolean;
}

/**
 * Serves `workspace/textDocumentContent` results as read-only files. A view's text is
 * asked for once and kept until the server sends a refresh for it (VS Code's stat then
 * read of one reload share one request); the modification time moves forward whenever
 * the text changes, so VS Code reloads an open view after each refresh and never
 * mistakes new text for old.
 */
export class DecodedFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;
  private readonly cache = new Map<string, Cached>();
  private readonly encoder = new TextEncoder();

  constructor(private readonly fetch: (uri: vscode.Uri) => Promise<string>) {}

  /** The server says the text of `uri` may have changed. */
  changed(uri: vscode.Uri): void {
    const cached = this.cache.get(uri.toString());
    if (cached) cached.fresh = false;
    this.changes.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  private async load(uri: vscode.Uri): Promise<Cached> {
    const key = uri.toString();
    const old = this.cache.get(key);
    if (old?.fresh) return old;
    let text: string;
    try {
      text = await this.fetch(uri);
    } catch (e) {
      throw vscode.FileSystemError.Unavailable(
        notificationText(
          `Handoff Journal: the language server could not decode ${uri.path}: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
    const bytes = this.encoder.encode(text);
    if (old && sameBytes(old.bytes, bytes)) {
      old.fresh = true;
      return old;
    }
    const entry = { bytes, mtime: Math.max(Date.now(), (old?.mtime ?? 0) + 1), fresh: true };
    this.cache.set(key, entry);
    return entry;
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { bytes, mtime } = await this.load(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime, size: bytes.length, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.load(uri)).bytes;
  }

  watch(): vscode.Disposable {
    // Changes come from the server's refresh requests, for every view it serves.
    return new vscode.Disposable(() => undefined);
  }

  /** Forgets a closed view's last text. */
  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }

  readDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.FileNotADirectory(uri);
  }

  private refuse(uri: vscode.Uri): never {
    // VS Code shows this in a notification: the path is data (see notify.ts).
    throw vscode.FileSystemError.NoPermissions(
      notificationText(
        `${uri.path}: the decoded view is read-only; use Handoff Journal: Reset Phase… or Delete Journal… to change the journal.`,
      ),
    );
  }

  createDirectory(uri: vscode.Uri): never {
    this.refuse(uri);
  }
  writeFile(uri: vscode.Uri): never {
    this.refuse(uri);
  }
  delete(uri: vscode.Uri): never {
    this.refuse(uri);
  }
  rename(uri: vscode.Uri): never {
    this.refuse(uri);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `workspace/textDocumentContent` for the language client: advertises the client
 * capability, answers the server's refresh requests and registers a read-only file
 * system for each scheme the server serves (statically or by dynamic registration).
 */
export class TextDocumentContentFileSystemFeature implements DynamicFeature<TextDocumentContentRegistrationOptions> {
  private readonly registrations = new Map<string, { schemes: string[]; disposable: vscode.Disposable; fs: DecodedFileSystem }>();

  constructor(private readonly client: BaseLanguageClient) {}

  get registrationType(): typeof TextDocumentContentRequest.type {
    return TextDocumentContentRequest.type;
  }

  getState(): FeatureState {
    return { kind: 'workspace', id: TextDocumentContentRequest.method, registrations: this.registrations.size > 0 };
  }

  fillClientCapabilities(capabilities: ClientCapabilities): void {
    capabilities.workspace ??= {};
    capabilities.workspace.textDocumentContent = { dynamicRegistration: true };
  }

  initialize(capabilities: ServerCapabilities): void {
    this.client.onRequest(TextDocumentContentRefreshRequest.type, (params) => {
      const uri = this.client.protocol2CodeConverter.asUri(params.uri);
      for (const r of this.registrations.values()) if (r.schemes.includes(uri.scheme)) r.fs.changed(uri);
    });
    const options = capabilities.workspace?.textDocumentContent;
    if (!options) return;
    const id = 'id' in options && typeof options.id === 'string' ? options.id : 'static';
    this.register({ id, registerOptions: options });
  }

  register(data: RegistrationData<TextDocumentContentRegistrationOptions>): void {
    const fs = new DecodedFileSystem(async (uri) => {
      const r = await this.client.sendRequest(TextDocumentContentRequest.type, { uri: this.client.code2ProtocolConverter.asUri(uri) });
      return r.text;
    });
    const schemes = [...data.registerOptions.schemes];
    const disposable = vscode.Disposable.from(
      ...schemes.map((scheme) =>
        vscode.workspace.registerFileSystemProvider(scheme, fs, { isCaseSensitive: true, isReadonly: readonlyReason(scheme) }),
      ),
      vscode.workspace.onDidCloseTextDocument((doc) => schemes.includes(doc.uri.scheme) && fs.forget(doc.uri)),
    );
    this.registrations.set(data.id, { schemes, disposable, fs });
    // Views already open (restored tabs, or a restarted server): read them from this server.
    for (const doc of vscode.workspace.textDocuments) if (schemes.includes(doc.uri.scheme)) fs.changed(doc.uri);
  }

  unregister(id: string): void {
    this.registrations.get(id)?.disposable.dispose();
    this.registrations.delete(id);
  }

  clear(): void {
    for (const r of this.registrations.values()) r.disposable.dispose();
    this.registrations.clear();
  }
}
