/**
 * Who may use a supervisor's trigger socket and which binaries a trigger may name, in
 * words for `status`, the Journals view's hover and Trigger's confirmation (beyond-handoff
 * 0.2: `allowed_uids`, `allowed_binaries`; root and the supervisor's own uid are always
 * allowed, `binary` always may be named). Pure.
 */

/** What is said of a config that uses a 0.2-only field. Never "the supervisor refuses it": 0.2 starts with it. */
export const NEEDS_02 = 'needs beyond-handoff 0.2 or later; 0.1 refuses it';

export interface AllowedUserInfo {
  uid: number;
  /** From NSS (`getent passwd`); absent when no user has this uid. */
  name?: string;
}

/** "1000 (alice), 1003 (no user name)"; empty: only root and the supervisor's own user. */
export function allowedUidsText(users: readonly AllowedUserInfo[]): string {
  if (users.length === 0) return "none (only root and the supervisor's own user)";
  return users.map((u) => `${u.uid} (${u.name ?? 'no user name'})`).join(', ');
}

/** The extra binaries, or "none (only `binary`)". */
export function allowedBinariesText(binaries: readonly string[]): string {
  return binaries.length === 0 ? 'none (only `binary`)' : binaries.join(', ');
}

/** "uses allowed_uids, allowed_binaries: needs beyond-handoff 0.2 or later; 0.1 refuses it", or undefined. */
export function versionNote(newFields: readonly string[]): string | undefined {
  return newFields.length === 0 ? undefined : `uses ${newFields.join(', ')}: ${NEEDS_02}`;
}
