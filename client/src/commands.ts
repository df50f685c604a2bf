/**
 * The command table. Each command is a factory `(ctx) => handler`; every change goes
 * through the server's commands after the user confirmed it.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Phase } from '../../shared/journal';
import { LOG_SCHEME, ServerCommands, type CommandResult } from '../../shared/protocol';
import { readConfig } from './config';
import type { Ctx } from './ctx';
import { showDiagram } from './diagram';
import { triggerHandoff } from './trigger';
import { openDecoded, openLog } from './openers';
import { journalAt } from './directories';
import {
  DELETE_DETAIL,
  deleteConfirmation,
  forceConfirmation,
  phaseChoices,
  phaseDetail,
  resetConfirmation,
  resetDetail,
  shownPath,
} from './pickItems';
import { commandTarget, commandUri } from './uris';
import * as notify from './notify';
import { offerSudo, showLogWithSudo, showWithSudo } from './retry';
import { cleanText } from '../../shared/util';

type Handler = (...args: unknown[]) => unknown;

/** The journal a command acts on; a folder asks which journal in it. */
async function target(arg: unknown, action = 'open'): Promise<vscode.Uri | undefined> {
  const t = commandTarget(arg);
  if (t) return journalAt(t, action);
  void notify.warn('open a journal first, or run "Open Journal at Path…".');
  return undefined;
}

async function confirm(message: string, detail: string, action: string, always = false): Promise<boolean> {
  if (!always && !readConfig().confirmations) return true;
  return notify.confirmModal(message, detail, action);
}

/** Shows a command's outcome, with the next step as a button where there is one. */
async function report(ctx: Ctx, r: CommandResult, file: vscode.Uri): Promise<void> {
  if (r.ok) {
    ctx.log.info(r.message);
    const pick = await notify.info(r.message, 'Undo', 'Show Journal');
    if (pick === 'Undo') await vscode.commands.executeCommand('handoffJournal.undoLastChange', file);
    if (pick === 'Show Journal') await openDecoded(ctx, file);
    return;
  }
  ctx.log.warn(`${r.reason ?? 'failed'}: ${r.message}`);
  if (r.sudoArgs) return offerSudo(ctx, r, file);
  await notify.error(r.message);
}

/** Runs a server command; when it is refused but forceable, asks for an explicit Force (naming the real file). */
async function runWithForce(ctx: Ctx, action: string, run: (force: boolean) => Promise<CommandResult>, file: vscode.Uri): Promise<void> {
  let r = await run(false);
  if (!r.ok && r.forceable) {
    const text = forceConfirmation(action, r.message, r.realPath);
    if (!(await confirm(text, "Forcing can confuse a running supervisor's recovery.", 'Force', true))) return;
    r = await run(true);
  }
  await report(ctx, r, file);
}

/**
 * The phase on disk and the file the path really is: the last state the server reported,
 * else what its `refresh` reads now (no document is opened).
 */
async function ensureState(ctx: Ctx, file: vscode.Uri): Promise<{ phase: Phase | undefined; realPath?: string }> {
  const known = ctx.stateOf(file);
  if (known) return { phase: known.phase, ...(known.realPath !== undefined ? { realPath: known.realPath } : {}) };
  const r = await ctx.serverCommand(ServerCommands.refresh, { uri: file.toString() });
  return { phase: r.phase ?? undefined, ...(r.realPath !== undefined ? { realPath: r.realPath } : {}) };
}

const resetPhase =
  (ctx: Ctx): Handler =>
  async (arg) => {
    const file = await target(arg, 'reset');
    if (!file) return;
    const { phase: current, realPath } = await ensureState(ctx, file);
    const options = await vscode.window.showQuickPick(
      [
        { label: 'Keep the handoff id and start time', id: 'keep' },
        { label: 'New handoff: fresh random id, started now', id: 'new', detail: 'Only Negotiating is legal for a new handoff.' },
        { label: 'Keep the id, set the start time to now', id: 'now' },
      ],
      { title: `Reset ${cleanText(shownPath(file.fsPath, realPath))}`, placeHolder: `Current phase: ${current ?? 'unknown'}. How?` },
    );
    if (!options) return;
    const newId = options.id === 'new';
    const now = options.id !== 'keep';
    const items = phaseChoices(current, newId).map((c) => ({
      label: `${c.legal ? '$(check)' : '$(error)'} ${c.phase}`,
      description: c.verdict,
      detail: `${phaseDetail(c.phase)} ${c.reason}`,
      choice: c,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Reset phase of ${cleanText(shownPath(file.fsPath, realPath))}`,
      placeHolder: 'Pick the phase to write',
    });
    if (!picked) return;
    const c = picked.choice;
    const plan = { path: file.fsPath, from: current, to: c.phase, newId, now, ...(realPath !== undefined ? { realPath } : {}) };
    const ok = c.legal
      ? await confirm(resetConfirmation(plan), resetDetail(plan), 'Reset')
      : await confirm(forceConfirmation(`${current} -> ${c.phase}`, c.reason, realPath), resetDetail(plan), 'Force', true);
    if (!ok) return;
    await runWithForce(
      ctx,
      'The reset',
      (force) => ctx.serverCommand(ServerCommands.reset, { uri: file.toString(), phase: c.phase, newId, now, force: force || !c.legal }),
      file,
    );
  };

const deleteJournal =
  (ctx: Ctx): Handler =>
  async (arg) => {
    const file = await target(arg, 'delete');
    if (!file) return;
    const { phase, realPath } = await ensureState(ctx, file);
    if (!(await confirm(deleteConfirmation(file.fsPath, phase, realPath), DELETE_DETAIL, 'Delete'))) return;
    await runWithForce(ctx, 'Deleting', (force) => ctx.serverCommand(ServerCommands.delete, { uri: file.toString(), force }), file);
  };

const undo =
  (ctx: Ctx): Handler =>
  async (arg) => {
    const file = await target(arg, 'undo the last change of');
    if (!file) return;
    await runWithForce(ctx, 'Undo', (force) => ctx.serverCommand(ServerCommands.undo, { uri: file.toString(), force }), file);
  };

const deleteTmp =
  (ctx: Ctx): Handler =>
  async (arg) => {
    const file = await target(arg);
    if (!file) return;
    const r = await ctx.serverCommand(ServerCommands.deleteTmp, { uri: file.toString() });
    if (r.ok) void notify.info(r.message);
    else await report(ctx, r, file);
  };

/** A command that finds its journal, then acts on it (with the command's arguments). */
const onJournal =
  (act: (ctx: Ctx, file: vscode.Uri, arg: unknown, extra: unknown) => Promise<unknown>) =>
  (ctx: Ctx): Handler =>
  async (arg, extra) => {
    const file = await target(arg);
    if (file) await act(ctx, file, arg, extra);
  };

const openDecodedCmd = onJournal((ctx, file) => openDecoded(ctx, file));

const openAtPath =
  (ctx: Ctx): Handler =>
  async () => {
    const path = await vscode.window.showInputBox({
      title: 'Open Journal at Path',
      value: '/var/lib/beyond/handoff/',
      prompt: 'Absolute path of a journal on this host (the remote host under Remote-SSH)',
      validateInput: (v) => (v.startsWith('/') ? undefined : 'Give an absolute path'),
    });
    const file = path ? await journalAt(vscode.Uri.file(path), 'open') : undefined;
    if (file) await openDecoded(ctx, file);
  };

const showRawBytes =
  (ctx: Ctx): Handler =>
  async (arg) => {
    const file = await target(arg);
    if (!file) return;
    const editor = await openDecoded(ctx, file);
    const line = editor.document
      .getText()
      .split('\n')
      .findIndex((l) => l.startsWith('Raw bytes'));
    if (line >= 0) {
      const pos = new vscode.Position(line, 0);
      editor.selection = new vscode.Selection(pos, pos);
      editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.AtTop);
    }
  };

const refresh =
  (ctx: Ctx): Handler =>
  async (arg) => {
    // A supervisor-log view is refreshed as itself (the server reads the log again).
    const raw = commandUri(arg);
    if (raw?.scheme === LOG_SCHEME) {
      await ctx.serverCommand(ServerCommands.refresh, { uri: raw.toString() });
      await ctx.serverCommand(ServerCommands.joinLog, { uri: raw.toString() });
      return;
    }
    const file = await target(arg);
    if (!file) return;
    await ctx.serverCommand(ServerCommands.refresh, { uri: file.toString() });
  };

const reveal = (): Handler => async (arg) => {
  const file = await target(arg);
  if (!file) return;
  const inWorkspace = vscode.workspace.getWorkspaceFolder(file);
  if (inWorkspace) await vscode.commands.executeCommand('revealInExplorer', file);
  else
    await vscode.commands
      .executeCommand('revealFileInOS', vscode.Uri.file(dirname(file.fsPath)))
      .then(undefined, () => notify.info(`${file.fsPath} is outside the workspace.`));
};

const copyPath = (): Handler => async (arg) => {
  const file = await target(arg);
  if (!file) return;
  await vscode.env.clipboard.writeText(file.fsPath);
  void vscode.window.setStatusBarMessage(`Copied ${cleanText(file.fsPath)}`, 3000);
};

const quickActions = (): Handler => async (arg) => {
  const file = await target(arg);
  if (!file) return;
  const actions = [
    ['Reset Phase…', 'handoffJournal.resetPhase'],
    ['Delete Journal…', 'handoffJournal.deleteJournal'],
    ['Undo Last Change', 'handoffJournal.undoLastChange'],
    ['Show Raw Bytes', 'handoffJournal.showRawBytes'],
    ['Show Diagram', 'handoffJournal.showDiagram'],
    ['Copy Path', 'handoffJournal.copyPath'],
  ].map(([label, command]) => ({ label: label as string, command: command as string }));
  const pick = await vscode.window.showQuickPick(actions, { title: cleanText(file.fsPath) });
  if (pick) await vscode.commands.executeCommand(pick.command, file);
};

const diagram = onJournal((ctx, file) => showDiagram(ctx, file));

const showLog = onJournal((ctx, file, arg) =>
  openLog(ctx, file, typeof arg === 'object' && arg !== null && 'handoffId' in arg ? String(arg.handoffId) : undefined),
);

const showWithSudoCmd = onJournal((ctx, file) => showWithSudo(ctx, file));

const showLogWithSudoCmd = onJournal((ctx, file, _arg, id) => showLogWithSudo(ctx, file, typeof id === 'string' ? id : undefined));

const trigger =
  (ctx: Ctx): Handler =>
  async (arg) =>
    triggerHandoff(ctx, arg);

const restartServer =
  (ctx: Ctx): Handler =>
  () =>
    ctx.restart();

export const COMMANDS: Record<string, (ctx: Ctx) => Handler> = {
  'handoffJournal.restartServer': restartServer,
  'handoffJournal.triggerHandoff': trigger,
  'handoffJournal.showDiagram': diagram,
  'handoffJournal.showLog': showLog,
  'handoffJournal.showWithSudo': showWithSudoCmd,
  'handoffJournal.showLogWithSudo': showLogWithSudoCmd,
  'handoffJournal.openDecoded': openDecodedCmd,
  'handoffJournal.openAtPath': openAtPath,
  'handoffJournal.resetPhase': resetPhase,
  'handoffJournal.deleteJournal': deleteJournal,
  'handoffJournal.undoLastChange': undo,
  'handoffJournal.deleteTmpFile': deleteTmp,
  'handoffJournal.showRawBytes': showRawBytes,
  'handoffJournal.refresh': refresh,
  'handoffJournal.revealInExplorer': reveal,
  'handoffJournal.copyPath': copyPath,
  'handoffJournal.quickActions': quickActions,
};

export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(COMMANDS)) ctx.push(vscode.commands.registerCommand(id, factory(ctx)));
}
