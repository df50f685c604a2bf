/**
 * The client's requests to the server (client -> server), beside the standard LSP ones:
 * ListJournals (the Journals view and the trigger picker), Diagram (the state-machine
 * SVG) and HandoffHistory (a service's handoffs from its log). Each as a typed constant
 * with its params and result; documented in docs/protocol.md.
 */
import { RequestType } from 'vscode-jsonrpc';
import type { Phase } from '../journal';
import type { AllowedUserInfo } from '../supervisor';
import type { JournalStateParams } from './messages';

/** Client -> server request: find journals matching glob patterns and summarise each (Journals view, trigger picker). */
export const ListJournalsRequest = new RequestType<ListJournalsParams, ListJournalsResult, void>('handoffJournal/listJournals');

export interface ListJournalsParams {
  /** Absolute glob patterns (`*`, `?`, `**`), `${workspaceFolder}` already expanded by the client. */
  patterns: string[];
  /** Stop after this many files (default 10,000). */
  limit?: number;
  /** Absolute globs of supervisor TOML configs, `${workspaceFolder}` expanded. */
  configGlobs?: string[];
}

/** A socket's state from /proc (never by connecting). */
export interface SocketStateInfo {
  path: string;
  exists: boolean;
  bound?: boolean;
  summary: string;
}

/** One supervisor config and what is known of its service. */
export interface ServiceInfo {
  /** The config file. */
  config: string;
  name: string;
  /** The config's `journal`, or null when journaling is off. */
  journal: string | null;
  binary: string;
  listeners: { name: string; addr: string }[];
  deadlineSecs: number;
  drainGraceSecs: number;
  control: SocketStateInfo;
  trigger: SocketStateInfo;
  /** `allowed_uids` (0.2) with user names from NSS; empty: only root and the supervisor's own user. */
  allowedUids: AllowedUserInfo[];
  /** `allowed_binaries` (0.2): what a trigger may name besides `binary`. */
  allowedBinaries: string[];
  /** Set when the config uses a 0.2-only field: "uses allowed_uids: needs beyond-handoff 0.2 or later; 0.1 refuses it". */
  versionNote?: string;
  /** The journal's state (absent with journaling off). */
  state?: JournalStateParams;
  /** Why the config cannot be used (unreadable, invalid TOML, unknown field...). */
  error?: string;
}

export interface ListJournalsResult {
  journals: JournalStateParams[];
  /** Supervisor configs found under `configGlobs`. */
  services: ServiceInfo[];
  /** True when a cap (files found or folders read) cut the search short. */
  truncated: boolean;
  /** Which cap, as a sentence starting "search cut short", when truncated. */
  cutShort?: string;
}

/** Client -> server request: the state-machine diagram of a journal as SVG (without its CSS). */
export const DiagramRequest = new RequestType<DiagramParams, DiagramResult, void>('handoffJournal/diagram');

export interface DiagramParams {
  /** The journal's file or handoff-journal URI. */
  uri: string;
}

export interface DiagramResult {
  /** SVG markup; style it with `DIAGRAM_STYLE` from shared/diagram/index.ts. */
  svg: string;
  /** A plain-text description of the picture, for screen readers. */
  description: string;
  /** The current phase, null for no journal, absent when undecodable. */
  phase?: Phase | null;
}

/**
 * Client -> server request: a service's recent handoffs from its supervisor's log (the
 * Journals view's History). Reading the log is the explicit step that joins its handoffs
 * into the journal's history (the decoded view), so they appear with no journal on disk.
 */
export const HandoffHistoryRequest = new RequestType<HandoffHistoryParams, HandoffHistoryResult, void>('handoffJournal/handoffHistory');

export interface HandoffHistoryParams {
  /** A supervisor config the server discovered (`ServiceInfo.config`); no other is read. */
  config: string;
  /** At most this many handoffs, newest first (default 50, at most 200). */
  limit?: number;
}

/** One handoff from the log (shared/supervisorLog/handoffRecord.ts, as plain data). */
export interface HandoffHistoryItem {
  id: string;
  /** Unix ms of its start and end, when the log gives them. */
  start: number | null;
  end: number | null;
  outcome: 'committed' | 'aborted' | 'unknown';
  /** Why it was aborted, or why the outcome is unknown; null when committed. Log text: data. */
  reason: string | null;
  sealFailure: boolean;
  rolledBack: boolean;
  totalSeconds: number | null;
  drainSeconds: number | null;
  sealSeconds: number | null;
  beginToReadySeconds: number | null;
}

export interface HandoffHistoryResult {
  service: string;
  /** The journal the handoffs belong to (the config's `journal`), or null with journaling off. */
  journal: string | null;
  handoffs: HandoffHistoryItem[];
  /** Where they were read (`journald: handoff-kv.service`, `file /var/log/kv.log`). */
  source: string | null;
  /** Why the log could not be read (then `handoffs` holds what was read before, if anything). */
  error?: string;
}
