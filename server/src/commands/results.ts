/** Command results: a refusal for bad arguments, and a repair outcome as a result. */
import type { RepairOutcome } from '../../../shared/journal/node';
import type { CommandResult } from '../../../shared/protocol';
import { sudoCliLine } from '../../../shared/util';

export const bad = (message: string): CommandResult => ({ ok: false, reason: 'bad-arguments', message });

/** A repair outcome as a result; a permission failure carries the CLI arguments that do it as root. */
export function result(o: RepairOutcome, sudoArgs?: string[]): CommandResult {
  if (o.ok) return { ok: true, message: o.message };
  const permission = o.fileError?.kind === 'permission' && sudoArgs !== undefined;
  return {
    ok: false,
    reason: o.reason,
    message: o.message,
    forceable: o.forceable,
    ...(permission ? { sudoArgs, sudoCommand: sudoCliLine(sudoArgs) } : {}),
  };
}
