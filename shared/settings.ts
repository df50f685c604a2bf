/**
 * Settings defaults shared by the extension's manifest (package.json), the client, the
 * server and the CLI, so each default is written once. package.json cannot import
 * TypeScript: test/unit/settings.test.ts checks that its defaults equal these. Pure.
 */

/** The placeholder the client expands into each workspace folder. */
export const WORKSPACE_FOLDER = '${workspaceFolder}';

/**
 * The default of `handoffJournal.supervisor.configGlobs`: the workspace's `handoff*.toml`,
 * then where reference-supervisor configs usually live on a host.
 */
export const DEFAULT_CONFIG_GLOBS: readonly string[] = [
  `${WORKSPACE_FOLDER}/**/handoff*.toml`,
  '/etc/handoff/*.toml',
  '/etc/handoff-supervisor/*.toml',
  '/etc/beyond/handoff/*.toml',
  '/etc/beyond/*/handoff.toml',
];

/** The globs that mean something without an editor (the CLI has no workspace folder). */
export function outsideWorkspace(globs: readonly string[]): string[] {
  return globs.filter((g) => !g.includes(WORKSPACE_FOLDER));
}

/** The host's config places: the CLI's default configs (`status`, `metrics`, the journal rule). */
export const HOST_CONFIG_GLOBS: readonly string[] = outsideWorkspace(DEFAULT_CONFIG_GLOBS);
