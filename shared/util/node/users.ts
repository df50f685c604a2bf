/**
 * User names for uids through NSS, as `id` and `ls -l` find them: `getent passwd UID`
 * (files, LDAP, sssd, systemd-userdb: whatever nsswitch.conf says), never by reading
 * /etc/passwd, which misses every directory user of a real fleet. Each look-up is
 * bounded (time and bytes) and remembered (names and misses) in a small cache, so a
 * slow directory costs one wait per uid, not one per message.
 */
import { execFile, spawnSync } from 'node:child_process';

/** How long one `getent` may take (an LDAP server that does not answer). */
export const GETENT_TIMEOUT_MS = 2_000;
const GETENT_MAX_BYTES = 4_096;
const CACHE_MAX = 256;

/** uid -> name, or null for "no such user" (or getent failed): both are remembered. */
const cache = new Map<number, string | null>();

function remember(uid: number, name: string | null): string | undefined {
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as number);
  cache.set(uid, name);
  return name ?? undefined;
}

/** The name in `getent passwd` output (`name:x:uid:gid:gecos:home:shell`) when its uid is `uid`. */
export function passwdName(stdout: string, uid: number): string | undefined {
  for (const line of stdout.split('\n', 8)) {
    const f = line.split(':', 4);
    if (f.length >= 3 && f[0] !== '' && f[2] === String(uid)) return f[0];
  }
  return undefined;
}

const valid = (uid: number): boolean => Number.isInteger(uid) && uid >= 0 && uid <= 0xffffffff;

/** The user name of a uid, or undefined (no such user, no getent, a directory that did not answer). */
export async function userNameOf(uid: number): Promise<string | undefined> {
  if (!valid(uid)) return undefined;
  if (cache.has(uid)) return cache.get(uid) ?? undefined;
  // execFile's own bounds (time, bytes, SIGKILL): boundedRun imports fileErrors, which imports this.
  const stdout = await new Promise<string | undefined>((resolve) =>
    execFile(
      'getent',
      ['passwd', String(uid)],
      { encoding: 'utf8', timeout: GETENT_TIMEOUT_MS, maxBuffer: GETENT_MAX_BYTES, killSignal: 'SIGKILL' },
      (err, out) => resolve(err ? undefined : out),
    ),
  );
  return remember(uid, stdout === undefined ? null : (passwdName(stdout, uid) ?? null));
}

/**
 * The same, for the synchronous paths (a file error's sentence is built where the error
 * is caught). Bounded like the async one; a cached answer costs nothing.
 */
export function userNameOfSync(uid: number): string | undefined {
  if (!valid(uid)) return undefined;
  if (cache.has(uid)) return cache.get(uid) ?? undefined;
  const r = spawnSync('getent', ['passwd', String(uid)], {
    encoding: 'utf8',
    timeout: GETENT_TIMEOUT_MS,
    maxBuffer: GETENT_MAX_BYTES,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return remember(uid, r.status === 0 && typeof r.stdout === 'string' ? (passwdName(r.stdout, uid) ?? null) : null);
}

/** "alice (uid 1000)", or "uid 1003 (no user name)" when NSS knows none. */
export function uidWords(uid: number, name: string | undefined): string {
  return name === undefined ? `uid ${uid} (no user name)` : `${name} (uid ${uid})`;
}
