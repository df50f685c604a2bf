/**
 * The journal rule built from supervisor configs, as the user has it and as root has it
 * (the CLI under sudo, and the server judging the sudo command it would offer). A
 * config's `journal` widens the rule for the user (as itself, never through a link); for
 * root only when the config is installed on the host, or names its service's standard
 * journal. A config in a workspace never widens what root may touch: root acts only on
 * what the user was shown.
 */
import type { JournalRule } from '../../journal';
import { isOwnServiceJournal, notInstalledReason } from '../../journal/node';
import { expandGlobs } from '../../util/node';
import type { SupervisorConfig } from './config';
import { loadSupervisorConfig } from './status';

/** How far a config is trusted: installed on the host, naming its service's own journal, or neither (and why). */
export type ConfigStanding = { kind: 'installed' } | { kind: 'own-service' } | { kind: 'other'; why: string };

export async function configStanding(c: Pick<SupervisorConfig, 'path' | 'journal'>): Promise<ConfigStanding> {
  const why = await notInstalledReason(c.path);
  if (why === undefined) return { kind: 'installed' };
  if (c.journal !== undefined && (await isOwnServiceJournal(c.journal))) return { kind: 'own-service' };
  return { kind: 'other', why };
}

export interface ConfigRuleOptions {
  /** Root's rule: only installed configs and own-service journals count, and no name patterns. */
  asRoot: boolean;
  /** Name patterns (`files.patterns`), for the user's rule. */
  patterns?: readonly string[];
}

/** What root requires of a config, for refusals. */
export const ROOT_CONFIG_RULE =
  "as root, a config's `journal` counts only when the config is installed on the host (its real path under /etc, it and every folder up to / owned by root and writable by no one else) or names its service's standard journal /var/lib/beyond/handoff/<service>/state.bin";

/** The journal rule from these configs (each with its standing, `configStanding`). */
export function ruleFromConfigs(
  configs: readonly { config: SupervisorConfig; standing: ConfigStanding }[],
  o: ConfigRuleOptions,
): JournalRule {
  const configJournals: string[] = [];
  const installedJournals: string[] = [];
  const dropped: string[] = [];
  for (const { config, standing } of configs) {
    if (config.journal === undefined) continue;
    if (standing.kind === 'installed') installedJournals.push(config.journal);
    else if (standing.kind === 'own-service' || !o.asRoot) configJournals.push(config.journal);
    else dropped.push(`${config.path}: ${standing.why}`);
  }
  const shown = dropped.slice(0, 3).join('; ') + (dropped.length > 3 ? `; and ${dropped.length - 3} more` : '');
  return {
    patterns: o.asRoot ? [] : (o.patterns ?? []),
    configJournals,
    installedJournals,
    ...(dropped.length > 0 ? { note: `Not counted ${ROOT_CONFIG_RULE.replace(/^as root, /, 'because, as root, ')}: ${shown}.` } : {}),
  };
}

/** `ruleFromConfigs` after looking up each config's standing. */
export async function configJournalRule(configs: readonly SupervisorConfig[], o: ConfigRuleOptions): Promise<JournalRule> {
  const withStanding = await Promise.all(configs.map(async (config) => ({ config, standing: await configStanding(config) })));
  return ruleFromConfigs(withStanding, o);
}

/**
 * The configs the CLI builds its rule from: those under `hostGlobs` (the default host
 * globs) and those given (`--config`). A given one that cannot be read is a failure; a
 * host one that cannot be read is left out.
 */
export async function ruleConfigs(
  hostGlobs: readonly string[],
  given: readonly string[],
): Promise<{ configs: SupervisorConfig[]; failures: { path: string; message: string }[] }> {
  const { paths } = await expandGlobs([...hostGlobs], 1000);
  const configs: SupervisorConfig[] = [];
  const failures: { path: string; message: string }[] = [];
  for (const p of [...paths, ...given]) {
    const r = await loadSupervisorConfig(p);
    if (r.ok) configs.push(r.config);
    else if (given.includes(p)) failures.push({ path: p, message: r.message });
  }
  return { configs, failures };
}
