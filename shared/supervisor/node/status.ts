/**
 * "The swap of service X": a supervisor config joined with its journal's state and its
 * sockets' state. Used by `handoff-journal status` and the language server. Reads files
 * and /proc through the shared I/O modules; never connects to a socket.
 */
import { inspect, inspectOptions, type Inspection, type Observation, readJournalFile } from '../../journal/node';
import { parseSupervisorConfig, type ConfigResult, type SupervisorConfig } from './config';
import { serviceName } from '../service';
import type { AllowedUserInfo } from '../access';
import { socketState, type SocketState } from './sockets';
import { userNameOf } from '../../util/node';

export const CONFIG_MAX_BYTES = 1 << 20;

/** Reads and parses one config file safely (regular files only, size-capped). */
export async function loadSupervisorConfig(path: string): Promise<ConfigResult> {
  const r = await readJournalFile(path, CONFIG_MAX_BYTES);
  if (r.state === 'missing') return { ok: false, kind: 'missing', path, message: `${path} does not exist` };
  if (r.state === 'error') return { ok: false, kind: 'unreadable', path, message: r.error.message };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(r.bytes);
  } catch {
    return { ok: false, kind: 'invalid', path, message: `${path} is not UTF-8 text, so it is not a TOML config` };
  }
  return parseSupervisorConfig(text, path);
}

export interface ServiceStatus {
  name: string;
  config: SupervisorConfig;
  /** The journal's inspection; absent when the config has no `journal` (journaling off). */
  journal?: Inspection;
  control: SocketState;
  trigger: SocketState;
  /** `allowed_uids` with their user names through NSS (no name: no such user). */
  allowedUsers: AllowedUserInfo[];
}

/** `allowed_uids` with user names (getent passwd, bounded and cached). */
export async function allowedUsers(c: SupervisorConfig): Promise<AllowedUserInfo[]> {
  return Promise.all(
    c.allowedUids.map(async (uid) => {
      const name = await userNameOf(uid);
      return name === undefined ? { uid } : { uid, name };
    }),
  );
}

/** What serviceStatus observes with: the clock, the process table, the encoding (the config gives the limits). */
export type StatusOptions = Omit<Observation, 'limits'>;

/** Staleness limits from a config, for the validator. */
export function limitsOf(c: SupervisorConfig): { deadlineMs: number; drainGraceMs: number; deadlineSource: string } {
  return { deadlineMs: c.deadlineSecs * 1000, drainGraceMs: c.drainGraceSecs * 1000, deadlineSource: `deadline_secs in ${c.path}` };
}

export async function serviceStatus(c: SupervisorConfig, o: StatusOptions): Promise<ServiceStatus> {
  const [journal, users] = await Promise.all([
    c.journal ? inspect(c.journal, inspectOptions({ ...o, limits: limitsOf(c) })) : undefined,
    allowedUsers(c),
  ]);
  return {
    name: serviceName({ config: c.path, journal: c.journal }),
    config: c,
    ...(journal ? { journal } : {}),
    control: socketState(c.controlSocket),
    trigger: socketState(c.triggerSocket),
    allowedUsers: users,
  };
}
