/**
 * The typed protocol between the extension and the language server, in one place, as
 * rust-analyzer's lsp_ext.ts and vscode-eslint's customMessages.ts do. Both sides pass
 * these constants, never method strings. Documented in docs/protocol.md.
 *
 * Standard LSP carries most of it: the decoded view and the supervisor-log view are
 * served with LSP 3.18's `workspace/textDocumentContent` (and `/refresh`), repairs and
 * the trigger with `workspace/executeCommand` (`ServerCommands`, each with its argument
 * type in `ServerCommandArgs` and a `CommandResult`). Custom messages: the server's
 * journal-state notification (status bar, Journals view); the client's requests are in
 * requests.ts. Also the URI schemes and the settings the client passes.
 */
import { NotificationType } from 'vscode-jsonrpc';
import type { Phase, RefusalReason } from '../journal';
import type { TriggerClass, TriggerOutcomeKind } from '../supervisor';

/** URI scheme of the decoded read-only view: the file URI with the scheme swapped. */
export const SCHEME = 'handoff-journal';
/** Language id of the decoded view. */
export const LANGUAGE_ID = 'handoff-journal';
/**
 * URI scheme of the supervisor-log view of a journal's handoff: the journal's file URI
 * with this scheme, and `?id=<uuid>` for a given handoff (default: the journal's own).
 */
export const LOG_SCHEME = 'handoff-journal-log';
/** Language id of the supervisor-log view. */
export const LOG_LANGUAGE_ID = 'handoff-journal-log';

/** Whether a URI string names a supervisor-log view. */
export function isLogUri(uri: string): boolean {
  return uri.startsWith(`${LOG_SCHEME}:`);
}

/** Commands the server executes (`workspace/executeCommand`), each with one argument object. */
export const ServerCommands = {
  /** Rewrites the journal with another phase. Args: `ResetArgs`. Result: `CommandResult`. */
  reset: 'handoffJournal.reset',
  /** Deletes the journal and its leftover temp file. Args: `DeleteArgs`. */
  delete: 'handoffJournal.delete',
  /** Restores the bytes from before the last reset/delete made through the server. Args: `UriArgs`. */
  undo: 'handoffJournal.undo',
  /** Deletes `<journal>.tmp`. Args: `UriArgs`. */
  deleteTmp: 'handoffJournal.deleteTmp',
  /** Re-reads the journal and republishes its view (read-only; allowed when untrusted). Args: `UriArgs`. */
  refresh: 'handoffJournal.refreshJournal',
  /** Sends the reference supervisor's trigger line to a discovered config's trigger socket. Args: `TriggerArgs`. */
  trigger: 'handoffJournal.trigger',
  /**
   * Joins a handoff's supervisor log into its journal's history and findings (the
   * explicit step after opening a log view: reading a view changes nothing). Changes no
   * file; allowed when untrusted. Args: `UriArgs`, the log view's URI.
   */
  joinLog: 'handoffJournal.joinLog',
  /**
   * Before the client runs a change through sudo (Retry as Sudo…): write the undo record
   * ahead from the bytes the user can read. Args: `SudoPrepareArgs`. Refused: do not run.
   */
  sudoPrepare: 'handoffJournal.sudoPrepare',
  /** After the sudo run: complete the undo record from the CLI's output, or take it back. Args: `SudoCompleteArgs`. */
  sudoComplete: 'handoffJournal.sudoComplete',
} as const;

export interface SudoPrepareArgs extends UriArgs {
  description?: string;
  /** The run is an undo: the existing record stays until it succeeds. */
  undo?: boolean;
}

export interface SudoCompleteArgs extends UriArgs {
  /** The sudo run succeeded (exit 0). */
  ok: boolean;
  /** The run was an undo (its success clears the record). */
  undo?: boolean;
  /** The bytes before and after from the CLI's change report (`--json`), hex; null for no journal; both absent when the run reported none. */
  before?: string | null;
  after?: string | null;
  description?: string;
}

export interface TriggerArgs {
  /** Path of a supervisor config the server discovered (only those are accepted). */
  config: string;
  /** Binary for this handoff (`handoff <binary>`); default: the config's `binary`. */
  binary?: string;
}

export const SERVER_COMMAND_IDS: string[] = Object.values(ServerCommands);

/** Each server command's argument object (`workspace/executeCommand`, one argument); every one answers a `CommandResult`. */
export interface ServerCommandArgs {
  [ServerCommands.reset]: ResetArgs;
  [ServerCommands.delete]: DeleteArgs;
  [ServerCommands.undo]: DeleteArgs;
  [ServerCommands.deleteTmp]: UriArgs;
  [ServerCommands.refresh]: UriArgs;
  [ServerCommands.trigger]: TriggerArgs;
  [ServerCommands.joinLog]: UriArgs;
  [ServerCommands.sudoPrepare]: SudoPrepareArgs;
  [ServerCommands.sudoComplete]: SudoCompleteArgs;
}

export type ServerCommand = keyof ServerCommandArgs;

/** Commands the client implements (UI with confirmation), used by lenses and quick fixes. */
export const ClientCommands = {
  resetPhase: 'handoffJournal.resetPhase',
  deleteJournal: 'handoffJournal.deleteJournal',
  undo: 'handoffJournal.undoLastChange',
  deleteTmpFile: 'handoffJournal.deleteTmpFile',
  showRawBytes: 'handoffJournal.showRawBytes',
  showDiagram: 'handoffJournal.showDiagram',
  showLog: 'handoffJournal.showLog',
  showWithSudo: 'handoffJournal.showWithSudo',
  showLogWithSudo: 'handoffJournal.showLogWithSudo',
} as const;

export interface UriArgs {
  /** The journal's `file:` URI (a `handoff-journal:` URI is accepted too). */
  uri: string;
}

export interface ResetArgs extends UriArgs {
  /** Target phase, one of the six Rust variant names. */
  phase: Phase;
  /** Give the journal a fresh random v4 handoff_id (a new handoff). */
  newId?: boolean;
  /** Set started_at_unix_ms to now. */
  now?: boolean;
  /** Do it even if the protocol forbids it or a handoff looks live. */
  force?: boolean;
}

export interface DeleteArgs extends UriArgs {
  /** Delete even a file that does not decode, or a live handoff's journal. */
  force?: boolean;
}

/** Why a command did not do what it was asked. */
export type CommandFailure =
  RefusalReason | 'untrusted' | 'bad-arguments' | 'nothing-to-undo' | 'trigger-failed' | 'supervisor-error' | 'no-log';

export interface CommandResult {
  ok: boolean;
  /** A sentence for a notification. */
  message: string;
  /** Why it was refused or failed. */
  reason?: CommandFailure;
  /** True when retrying with `force: true` would do it. */
  forceable?: boolean;
  /** For permission errors: the command line that would do it as root (with the CLI as `handoff-journal`). */
  sudoCommand?: string;
  /** For permission errors: the CLI arguments that do the same change as root (the client runs its bundled CLI). */
  sudoArgs?: string[];
  /** The journal's phase after the command, or null when it is gone. */
  phase?: Phase | null;
  /** The file the journal's path really is (symlinks resolved), when that is another path: every prompt before a change shows it. */
  realPath?: string;
  /** For a trigger: the handoff the supervisor's reply names, and what it says happened. */
  handoffId?: string;
  /** For a trigger: what came of it (shared/supervisor/triggerOutcome.ts), e.g. `committed`, `not-permitted`, `permission-denied`, `timeout`. */
  outcome?: TriggerOutcomeKind;
  /** For a trigger: committed, failed (aborted or failed inside the supervisor), refused, unreachable or no-answer. */
  triggerClass?: TriggerClass;
}

/** Whether a value from the wire is a `CommandResult` (the client checks what the server sent). */
export function isCommandResult(v: unknown): v is CommandResult {
  return (
    typeof v === 'object' && v !== null && typeof (v as CommandResult).ok === 'boolean' && typeof (v as CommandResult).message === 'string'
  );
}

/** Server -> client notification: what the server last saw of a journal (status bar, Journals view). */
export const JournalStateNotification = new NotificationType<JournalStateParams>('handoffJournal/journalState');

export interface JournalStateParams {
  /** The journal's file URI. */
  uri: string;
  /** The file the path really is (symlinks resolved), when that is another path: every prompt before a change shows it. */
  realPath?: string;
  /** `decoded`, `missing`, `undecodable` or `unreadable`. */
  state: 'decoded' | 'missing' | 'undecodable' | 'unreadable';
  phase?: Phase;
  /** Unix ms of started_at (as a number; display only). */
  startedAt?: number;
  errors: number;
  warnings: number;
  /** Whether a leftover temp file lies next to the journal. */
  tmpExists: boolean;
}

/** `file:` URI string -> `handoff-journal:` URI string (same path). */
export function toVirtualUri(fileUri: string): string {
  return fileUri.replace(/^file:/, `${SCHEME}:`);
}

/** `handoff-journal:` URI string -> `file:` URI string. */
export function toFileUri(uri: string): string {
  for (const scheme of [SCHEME, LOG_SCHEME])
    if (uri.startsWith(`${scheme}:`)) return `file:${uri.slice(scheme.length + 1)}`.replace(/[?#].*$/, '');
  return uri;
}
