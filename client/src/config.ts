/** Reads the extension's settings and turns them into the server's settings. */
import * as vscode from 'vscode';
import { DEFAULT_CONFIG_GLOBS, normalizeSettings, WORKSPACE_FOLDER, type ServerSettings } from '../../shared/protocol';

export interface ClientConfig {
  searchPaths: string[];
  configGlobs: string[];
  patterns: string[];
  confirmations: boolean;
}

export function readConfig(): ClientConfig {
  const c = vscode.workspace.getConfiguration('handoffJournal');
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    searchPaths: strings(c.get('files.searchPaths')),
    configGlobs: strings(c.get('supervisor.configGlobs', DEFAULT_CONFIG_GLOBS)),
    patterns: strings(c.get('files.patterns')),
    confirmations: c.get('confirmations.enabled') !== false,
  };
}

export function serverSettings(storagePath: string): ServerSettings {
  const c = vscode.workspace.getConfiguration('handoffJournal');
  const own = readConfig();
  return normalizeSettings({
    staleDeadlineSeconds: c.get('validation.staleDeadlineSeconds'),
    livenessChecks: c.get('validation.livenessChecks'),
    encoding: c.get('decoding.encoding'),
    trusted: vscode.workspace.isTrusted,
    patterns: own.patterns,
    storagePath,
    configGlobs: expandSearchPaths(own.configGlobs),
    logFiles: c.get('supervisor.logFiles'),
    logCommand: c.get('supervisor.logCommand'),
  });
}

/** Expands `${workspaceFolder}` into one absolute pattern per workspace folder. */
export function expandSearchPaths(paths: string[]): string[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const out: string[] = [];
  for (const p of paths) {
    if (p.includes(WORKSPACE_FOLDER)) for (const f of folders) out.push(p.split(WORKSPACE_FOLDER).join(f));
    else out.push(p);
  }
  return out;
}
