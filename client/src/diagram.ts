/**
 * The diagram panel: the server renders the state machine as SVG (shared/diagram/index.ts);
 * this shows it in a webview beside the decoded view and re-renders it whenever the
 * server reports a change. No script runs in the webview; the CSP allows only our
 * nonce'd style, so nothing from a journal can execute.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { DIAGRAM_STYLE, escapeXml } from '../../shared/diagram';
import { DiagramRequest, type DiagramResult } from '../../shared/protocol';
import type { Ctx } from './ctx';
import { serviceName } from '../../shared/supervisor';

const panels = new Map<string, vscode.WebviewPanel>();

export function diagramHtml(r: DiagramResult, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<style nonce="${nonce}">
  body { background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); font-family: var(--vscode-font-family); }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  svg { width: 100%; height: auto; max-width: 1100px; }
  svg g[tabindex]:focus rect { outline: 2px solid var(--vscode-focusBorder); }
  ${DIAGRAM_STYLE}
</style></head>
<body><main aria-label="Handoff state machine">
<p class="sr-only">${escapeXml(r.description)}</p>
${r.svg}
</main></body></html>`;
}

async function render(ctx: Ctx, file: vscode.Uri, panel: vscode.WebviewPanel): Promise<void> {
  const client = await ctx.client();
  const r = await client.sendRequest(DiagramRequest, { uri: file.toString() });
  panel.webview.html = diagramHtml(r, randomBytes(16).toString('base64'));
}

export async function showDiagram(ctx: Ctx, file: vscode.Uri): Promise<void> {
  const key = file.toString();
  const open = panels.get(key);
  if (open) {
    open.reveal(vscode.ViewColumn.Beside, true);
    return;
  }
  const panel = vscode.window.createWebviewPanel(
    'handoffJournal.diagram',
    `Diagram: ${serviceName({ journal: file.fsPath })}`,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    {
      enableScripts: false,
      retainContextWhenHidden: false,
      localResourceRoots: [],
    },
  );
  panels.set(key, panel);
  const sub = ctx.onDidChangeState((s) => {
    if (vscode.Uri.parse(s.uri).fsPath === file.fsPath && panel.visible) void render(ctx, file, panel);
  });
  panel.onDidChangeViewState(() => panel.visible && void render(ctx, file, panel));
  panel.onDidDispose(() => {
    sub.dispose();
    panels.delete(key);
  });
  await render(ctx, file, panel);
}
