/**
 * The file watchers that tell the language server about journals changing in the
 * workspace (`workspace/didChangeWatchedFiles`): `state.bin`, its temp file, and every
 * extra name in `handoffJournal.files.patterns`. Rebuilt when that setting changes, so a
 * new pattern is watched without restarting anything. (vscode-languageclient's
 * `synchronize.fileEvents` takes a fixed list at start.)
 */
import * as vscode from 'vscode';
import { DidChangeWatchedFilesNotification, FileChangeType, type FileEvent, type LanguageClient } from 'vscode-languageclient/node';
import { usableNamePatterns } from '../../shared/journal';
import { readConfig } from './config';

export class JournalWatchers implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private readonly config: vscode.Disposable;

  constructor(private readonly client: LanguageClient) {
    this.rebuild();
    this.config = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('handoffJournal.files.patterns')) this.rebuild();
    });
  }

  private send(uri: vscode.Uri, type: FileChangeType): void {
    const changes: FileEvent[] = [{ uri: this.client.code2ProtocolConverter.asUri(uri), type }];
    void this.client.sendNotification(DidChangeWatchedFilesNotification.type, { changes }).catch(() => undefined);
  }

  private rebuild(): void {
    for (const w of this.watchers) w.dispose();
    const globs = ['**/state.bin', '**/state.bin.tmp', ...usableNamePatterns(readConfig().patterns).map((p) => `**/${p}`)];
    this.watchers = globs.flatMap((g) => {
      const w = vscode.workspace.createFileSystemWatcher(g);
      return [
        w,
        w.onDidCreate((u) => this.send(u, FileChangeType.Created)),
        w.onDidChange((u) => this.send(u, FileChangeType.Changed)),
        w.onDidDelete((u) => this.send(u, FileChangeType.Deleted)),
      ];
    });
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
    this.config.dispose();
  }
}
