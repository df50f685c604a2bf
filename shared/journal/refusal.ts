/**
 * Why a repair (reset, delete, restore, delete-tmp) was refused: one list for the repair
 * module (./node/repair.ts), the CLI's exit codes and the server's command results. Pure.
 */
export type RefusalReason =
  | 'missing'
  | 'file-error'
  | 'symlink'
  | 'not-a-journal'
  | 'not-a-journal-file'
  | 'illegal-transition'
  | 'live-handoff'
  | 'changed'
  | 'undo-unsaved';
