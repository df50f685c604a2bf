/**
 * What came of a trigger, as a notification (the server's answer, or the CLI's report
 * after Retry as Sudo…), with Show Log when a handoff ran: the supervisor's log says why.
 */
import * as vscode from 'vscode';
import type { CommandResult, ServiceInfo } from '../../shared/protocol';
import type { Ctx } from './ctx';
import * as notify from './notify';
import { openLog } from './openers';

/** The reply as a notification; the supervisor's log says why: offer it for the handoff the reply names (or the journal's). */
export async function showTriggerOutcome(
  ctx: Ctx,
  s: ServiceInfo,
  r: Pick<CommandResult, 'ok' | 'message' | 'handoffId' | 'triggerClass'>,
): Promise<void> {
  const ran = r.triggerClass === 'committed' || r.triggerClass === 'failed' || r.triggerClass === 'no-answer';
  const buttons = s.journal !== null && ran ? ['Show Log'] : [];
  const pick = await (r.ok ? notify.info(`${s.name}: ${r.message}`, ...buttons) : notify.error(`${s.name}: ${r.message}`, ...buttons));
  if (pick === 'Show Log' && s.journal) await openLog(ctx, vscode.Uri.file(s.journal), r.handoffId);
}
