/**
 * The settings both sides share: their defaults, written once for the extension's
 * manifest (package.json; test/unit/settings.test.ts checks that its defaults equal
 * these), the client, the server and the CLI; what the extension passes the language
 * server in `initializationOptions` and `workspace/didChangeConfiguration`
 * (`ServerSettings`); and the normaliser that reads untrusted input into them (workspace
 * settings are input too). Pure.
 */
import { usableNamePatterns } from '../journal';

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

/** Options the client passes in `initializationOptions` (and later via `workspace/didChangeConfiguration`). */
export interface ServerSettings {
  /** Non-terminal journals older than this are stale. */
  staleDeadlineSeconds: number;
  /** Look up recorded pids in /proc. */
  livenessChecks: boolean;
  /** Encoding override for decoding. */
  encoding: 'auto' | 'postcard' | 'msgpack' | 'json';
  /** The client says true only for a trusted workspace; until then the server refuses every change. */
  trusted: boolean;
  /** Extra journal file-name patterns (`handoffJournal.files.patterns`); `state.bin` always counts. */
  patterns: string[];
  /** Folder for undo records (the extension's global storage). */
  storagePath?: string;
  /** Absolute globs of supervisor configs (for per-service deadlines). */
  configGlobs: string[];
  /** A supervisor log file per service name, read after journald. */
  logFiles: Record<string, string>;
  /**
   * A command (argv, no shell) that prints a supervisor's log, tried last; only run in a
   * trusted workspace. `${handoffId}`, `${pid}`, `${service}` and `${journal}` are replaced.
   */
  logCommand: string[];
}

export const DEFAULT_SETTINGS: ServerSettings = {
  staleDeadlineSeconds: 300,
  livenessChecks: true,
  encoding: 'auto',
  // Trust is opt-in: a client that says nothing gets a server that changes nothing.
  trusted: false,
  patterns: [],
  configGlobs: [],
  logFiles: {},
  logCommand: [],
};

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}

/** Normalises untrusted settings input into `ServerSettings`. */
export function normalizeSettings(raw: unknown, base: ServerSettings = DEFAULT_SETTINGS): ServerSettings {
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const deadline = Number(o.staleDeadlineSeconds);
  const enc = o.encoding;
  return {
    staleDeadlineSeconds: Number.isFinite(deadline) && deadline > 0 ? deadline : base.staleDeadlineSeconds,
    livenessChecks: typeof o.livenessChecks === 'boolean' ? o.livenessChecks : base.livenessChecks,
    encoding: enc === 'postcard' || enc === 'msgpack' || enc === 'json' || enc === 'auto' ? enc : base.encoding,
    trusted: typeof o.trusted === 'boolean' ? o.trusted : base.trusted,
    patterns: Array.isArray(o.patterns) ? usableNamePatterns(o.patterns) : base.patterns,
    configGlobs: Array.isArray(o.configGlobs) ? o.configGlobs.filter((g): g is string => typeof g === 'string') : base.configGlobs,
    logFiles: isStringRecord(o.logFiles) ? o.logFiles : base.logFiles,
    logCommand:
      Array.isArray(o.logCommand) && o.logCommand.every((a) => typeof a === 'string') ? (o.logCommand as string[]) : base.logCommand,
    ...(typeof o.storagePath === 'string' ? { storagePath: o.storagePath } : base.storagePath ? { storagePath: base.storagePath } : {}),
  };
}
