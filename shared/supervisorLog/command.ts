/**
 * `handoffJournal.supervisor.logCommand` with its placeholders filled in, only with
 * values that cannot change what the command does. The command runs without a shell,
 * but it may hand its arguments to one (the README's `ssh loghost cat …` does: ssh joins
 * them into a remote shell line), and the values come from outside: the handoff id from
 * a log URI's `?id=`, the service from a folder name. So `${handoffId}` must be a UUID,
 * `${pid}` digits, `${service}` a plain name, and `${journal}` a whole argument holding a
 * plain absolute path; anything else refuses the command with a sentence saying why.
 * Pure.
 */
import { formatUuid, parseUuid, SAFE_SERVICE_NAME } from '../journal';

export interface LogCommandVars {
  /** The handoff id as asked for (from the journal, or a log URI's `?id=`). */
  handoffId: string;
  /** The supervisor's pid, when a journal of this handoff gives it. */
  pid?: number;
  /** The service (the journal's folder name). */
  service: string;
  /** The journal's path. */
  journal: string;
}

export type SubstitutedCommand = { ok: true; argv: string[] } | { ok: false; message: string };

/** An absolute path of characters no shell treats specially. */
const PLAIN_PATH = /^\/[A-Za-z0-9_./@%+,=:-]{0,4095}$/;
const PLACEHOLDER = /\$\{(handoffId|pid|service|journal)\}/g;

/** The canonical form of a handoff id (lowercase hyphenated), or undefined when it is not a UUID. */
export function canonicalHandoffId(id: string): string | undefined {
  const b = parseUuid(id);
  return b ? formatUuid(b) : undefined;
}

function valueOf(name: string, arg: string, v: LogCommandVars): { value: string } | { refused: string } {
  switch (name) {
    case 'handoffId': {
      const id = canonicalHandoffId(v.handoffId);
      return id ? { value: id } : { refused: `the handoff id ${JSON.stringify(v.handoffId)} is not a UUID` };
    }
    case 'pid':
      return v.pid !== undefined && Number.isInteger(v.pid) && v.pid > 0
        ? { value: String(v.pid) }
        : { refused: 'no supervisor pid is known for this handoff (no journal of it on disk)' };
    case 'service':
      return SAFE_SERVICE_NAME.test(v.service)
        ? { value: v.service }
        : { refused: `the service name ${JSON.stringify(v.service)} is not a plain name (letters, digits, _ . @ -)` };
    default:
      if (arg !== '${journal}') return { refused: `\`\${journal}\` must be a whole argument, not part of ${JSON.stringify(arg)}` };
      return PLAIN_PATH.test(v.journal)
        ? { value: v.journal }
        : {
            refused: `the journal path ${JSON.stringify(v.journal)} has characters a shell would read (only plain absolute paths are passed)`,
          };
  }
}

/** The log command with its placeholders replaced, or why it is not run. */
export function substituteLogCommand(argv: readonly string[], vars: LogCommandVars): SubstitutedCommand {
  const out: string[] = [];
  for (const arg of argv) {
    let refused: string | undefined;
    const filled = arg.replace(PLACEHOLDER, (m, name: string) => {
      const r = valueOf(name, arg, vars);
      if ('refused' in r) refused ??= r.refused;
      return 'value' in r ? r.value : m;
    });
    if (refused !== undefined)
      return { ok: false, message: `the log command (handoffJournal.supervisor.logCommand) was not run: ${refused}.` };
    out.push(filled);
  }
  return { ok: true, argv: out };
}
