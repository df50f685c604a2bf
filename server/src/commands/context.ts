/**
 * What every server command gets (`CommandContext`) and what a file-changing one gets on
 * top (`ChangeContext`): the journal, its arguments and the repair environment.
 */
import type { JournalRule } from '../../../shared/journal';
import type { RepairEnv } from '../../../shared/journal/node';
import type { ServerSettings } from '../../../shared/protocol';
import type { ServerDeps } from '../deps';
import type { JournalStore } from '../journalStore';
import type { SupervisorRegistry } from '../supervisors';
import type { UndoStore } from './undoStore';

export interface CommandContext {
  store: JournalStore;
  registry: SupervisorRegistry;
  undo: UndoStore;
  deps: ServerDeps;
  settings: () => ServerSettings;
  /** Asks the client to fetch a supervisor-log view again (it then reads the log again). */
  refreshLog: (uri: string) => Promise<void>;
  /** Joins a log view's handoff into its journal's history (see ServerState.joinLog). */
  joinLog: (uri: string) => Promise<boolean>;
}

/** What a file-changing handler gets: the journal, its arguments and the repair environment. */
export interface ChangeContext extends CommandContext {
  path: string;
  args: Record<string, unknown>;
  force: boolean;
  env: RepairEnv;
  /** `--config FILE` when the journal is a config's, so the CLI run as root applies the same rule. */
  configArgs: string[];
}

/** The journal rule from the client's name patterns and the configs the server discovered. */
export function journalRule(ctx: Pick<CommandContext, 'registry' | 'settings'>): JournalRule {
  return { patterns: ctx.settings().patterns, ...ctx.registry.journalLists() };
}
