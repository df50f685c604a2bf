/**
 * What the CLI's commands that look or repair need from this host: the journal rule (with the
 * journals named by supervisor configs), the clock, randomness and the process table.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_JOURNAL_RULE, type JournalRule } from '../shared/journalRule';
import { expandGlobs } from '../shared/node/globWalk';
import { procProcessTable } from '../shared/node/processTable';
import type { RepairEnv } from '../shared/node/repair';
import { loadSupervisorConfig } from '../shared/node/supervisorStatus';
import { HOST_CONFIG_GLOBS } from '../shared/settings';
import type { ProcessInfo } from '../shared/validate';
import { UsageError } from './args';

/**
 * The journal rule of the CLI: `state.bin`, plus the journals named by the supervisor
 * configs under the default config globs and those given with `--config`.
 */
async function cliRule(configs: string[]): Promise<JournalRule> {
  const found = (await expandGlobs([...HOST_CONFIG_GLOBS], 1000)).paths;
  const journals: string[] = [];
  for (const p of [...found, ...configs]) {
    const r = await loadSupervisorConfig(p);
    if (r.ok && r.config.journal) journals.push(r.config.journal);
    else if (!r.ok && configs.includes(p)) throw new UsageError(r.message);
  }
  return { ...DEFAULT_JOURNAL_RULE, configJournals: journals };
}

/** The clock and this host's process table, for commands that only look. */
export function observation(): { now: number; process?: (pid: number) => ProcessInfo } {
  const process_ = procProcessTable();
  return { now: Date.now(), ...(process_ ? { process: process_ } : {}) };
}

/** What a repair needs: the journal rule, the clock, randomness and the process table. */
export async function env(configs: string[] = []): Promise<RepairEnv> {
  return { rule: await cliRule(configs), random: (n) => new Uint8Array(randomBytes(n)), ...observation() };
}
