/** Runs inside VS Code's extension host (test-electron): opens a journal decoded and checks it. */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const file = vscode.Uri.file(resolve(__dirname, '../../../test/fixtures/rust/postcard/064-typical-sealing.bin'));
  await vscode.commands.executeCommand('handoffJournal.openDecoded', file);
  const doc = vscode.window.activeTextEditor?.document;
  assert.equal(doc?.uri.scheme, 'handoff-journal');
  assert.match(doc?.getText() ?? '', /phase\s+Sealing/);
  assert.equal(doc?.languageId, 'handoff-journal');
}
