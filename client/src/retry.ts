/**
 * The "permission denied" path of every change (Reset Phase…, Delete Journal…, Undo Last
 * Change, Delete Leftover Temp File) and of Trigger Handoff…: the error offers `Retry as
 * Sudo…`, which runs the same thing with the same arguments through sudo (sudo.ts). The
 * undo record of a change stays in the user's storage: the server writes it ahead from
 * the bytes the user can read and completes it from what the CLI printed, or takes it
 * back when the run failed. A trigger reads the CLI's `--json` trigger report back.
 */
import * as vscode from 'vscode';
import { ServerCommands, type CommandResult, type ServiceInfo } from '../../shared/protocol';
import { parseTriggerReport } from '../../shared/supervisor';
import type { Ctx } from './ctx';
import * as notify from './notify';
import { parseChangeReport, type ChangeReport } from '../../shared/journal';
import { runCliAsSudo, sudoCliCommand } from './sudo';
import { sudoOfferText } from './pickItems';
import { showTriggerOutcome } from './triggerResult';

export const RETRY_AS_SUDO = 'Retry as Sudo…';
const COPY = 'Copy Command';

/** The CLI's own message: its change report's, else its last error line. */
function cliMessage(report: ChangeReport | undefined, stderr: string): string {
  const err = stderr
    .split('\n')
    .filter((l) => l.startsWith('handoff-journal:'))
    .pop();
  return report?.message ?? (err ?? '').replace(/^handoff-journal: /, '').trim();
}

/** Runs a refused change through sudo and reports how it went. */
export async function retryAsSudo(ctx: Ctx, file: vscode.Uri, args: string[]): Promise<void> {
  const uri = file.toString();
  const undo = args[0] === 'restore';
  const description = `${args[0]} through sudo`;
  const prep = await ctx.serverCommand(ServerCommands.sudoPrepare, { uri, description, undo });
  if (!prep.ok && prep.reason === 'undo-unsaved') {
    void notify.error(prep.message);
    return;
  }
  if (!prep.ok) ctx.log.info(prep.message);
  // --json: the CLI's change report says what it found and wrote, for the undo record.
  const run = await runCliAsSudo(ctx, [...args, '--json']);
  const report = parseChangeReport(run.stdout);
  const ok = run.code === 0;
  const bytes = report ? { before: report.before, after: report.after } : {};
  await ctx.serverCommand(ServerCommands.sudoComplete, { uri, ok, undo, description, ...bytes });
  await ctx.serverCommand(ServerCommands.refresh, { uri });
  ctx.log.info(`sudo ${args.join(' ')}: exit ${run.code ?? 'killed'}`);
  if (ok) {
    const pick = await notify.info(`${cliMessage(report, run.stderr)} (as root)`, ...(undo ? [] : ['Undo']));
    if (pick === 'Undo') await vscode.commands.executeCommand('handoffJournal.undoLastChange', file);
  } else if (run.sudoFailed) {
    void notify.error(`sudo failed: ${run.failure ?? 'see the terminal'}. Nothing was changed.`);
  } else {
    void notify.error(`as root: ${cliMessage(report, run.stderr) || `exit ${run.code ?? 'killed'}`}`);
  }
}

/** Sends a trigger refused for permission again as root, and says what came of it (from the CLI's --json report). */
export async function retryTriggerAsSudo(ctx: Ctx, s: ServiceInfo, args: string[]): Promise<void> {
  const run = await runCliAsSudo(ctx, [...args, '--json']);
  const report = parseTriggerReport(run.stdout);
  ctx.log.info(`sudo ${args.join(' ')}: exit ${run.code ?? 'killed'}${report ? `, ${report.outcome}` : ''}`);
  if (s.journal) await ctx.serverCommand(ServerCommands.refresh, { uri: vscode.Uri.file(s.journal).toString() });
  if (run.sudoFailed) {
    void notify.error(`sudo failed: ${run.failure ?? 'see the terminal'}. No handoff was triggered.`);
    return;
  }
  if (!report) {
    void notify.error(`as root: ${cliMessage(undefined, run.stderr) || `exit ${run.code ?? 'killed'}`}`);
    return;
  }
  await showTriggerOutcome(ctx, s, {
    ok: report.class === 'committed',
    message: `${report.message} (as root)`,
    triggerClass: report.class,
    ...(report.handoff_id ? { handoffId: report.handoff_id } : {}),
  });
}

/** The error of a change refused for permission: Retry as Sudo…, or copy a command that works on this host. */
export async function offerSudo(ctx: Ctx, r: CommandResult, file: vscode.Uri): Promise<void> {
  const args = r.sudoArgs as string[];
  const pick = await notify.error(sudoOfferText(r.message, r.realPath), RETRY_AS_SUDO, COPY);
  if (pick === RETRY_AS_SUDO) await retryAsSudo(ctx, file, args);
  if (pick === COPY) await vscode.env.clipboard.writeText(sudoCliCommand(ctx, args));
}

/** Runs a read-only CLI command as root in the terminal, where its output is shown. */
async function showAsRoot(ctx: Ctx, args: string[]): Promise<void> {
  const run = await runCliAsSudo(ctx, args);
  if (run.sudoFailed) void notify.error(`sudo failed: ${run.failure ?? 'see the terminal'}.`);
}

/** "Show with sudo in Terminal": `show` as root, for a journal this user cannot read. */
export function showWithSudo(ctx: Ctx, file: vscode.Uri): Promise<void> {
  return showAsRoot(ctx, ['show', file.fsPath]);
}

/** The supervisor's log of a handoff through sudo, for a user outside systemd-journal/adm. */
export function showLogWithSudo(ctx: Ctx, file: vscode.Uri, handoffId?: string): Promise<void> {
  return showAsRoot(ctx, ['log', ...(handoffId ? ['--id', handoffId] : [file.fsPath])]);
}
