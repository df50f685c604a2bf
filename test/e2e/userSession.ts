/**
 * What a session of the unprivileged run needs besides a root one: a folder the user owns
 * for its profile, extensions and HOME, the VSIX where the user can read it, no cached sudo
 * credentials, and settings that point the extension at the host tree instead of the real
 * /var/lib/beyond and /etc (hermetic on a host that runs a supervisor).
 */
import { cpSync, existsSync, lchownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HostTree } from './hostTree';
import { forgetSudo, userCan, userLauncher, type HostUser } from './hostUser';
import type { Launcher } from './launch';

export interface UserSessionSetup {
  /** The user's folder: `<session>/user`, or a temp dir when the user cannot reach the session folder. */
  dir: string;
  /** A copy of the VSIX the user can read. */
  vsix: string;
  launcher: Launcher;
  /** Remote (Machine) settings: the search paths and config globs moved under the host tree. */
  machineSettings: Record<string, unknown>;
  /** Keeps the logs of a temp user folder in the session folder, then removes it. */
  close(): void;
}

/** The extension's default search paths and config globs, moved under the host tree's root. */
export function hostSettings(host: HostTree): Record<string, unknown> {
  const r = host.root;
  return {
    'handoffJournal.files.searchPaths': [`${host.journalsDir}/*/state.bin`, '${workspaceFolder}/**/state.bin'],
    'handoffJournal.supervisor.configGlobs': [
      '${workspaceFolder}/**/handoff*.toml',
      `${r}/etc/handoff/*.toml`,
      `${r}/etc/handoff-supervisor/*.toml`,
      `${r}/etc/beyond/handoff/*.toml`,
      `${r}/etc/beyond/*/handoff.toml`,
    ],
  };
}

export function userSessionSetup(user: HostUser, host: HostTree, sessionDir: string, vsix: string, localBin = false): UserSessionSetup {
  const launcher = userLauncher(user);
  if (!userCan(user, 'x', host.journalsDir)) throw new Error(`${user.name} cannot traverse ${host.journalsDir}: is TMPDIR private?`);
  const inSession = userCan(user, 'x', sessionDir);
  const dir = launcher.ownDir(inSession ? join(sessionDir, 'user') : mkdtempSync(join(tmpdir(), 'hj-e2e-user-')));
  const copy = join(dir, 'handoff-journal.vsix');
  cpSync(vsix, copy);
  lchownSync(copy, user.uid, user.gid);
  if (localBin) launcher.ownDir(join(dir, 'home', '.local', 'bin'));
  forgetSudo(user);
  return {
    dir,
    vsix: copy,
    launcher,
    machineSettings: hostSettings(host),
    close: () => {
      if (inSession) return;
      for (const keep of ['code-server.log', join('user-data', 'logs')]) {
        if (!existsSync(join(dir, keep))) continue;
        mkdirSync(dirname(join(sessionDir, 'user', keep)), { recursive: true });
        cpSync(join(dir, keep), join(sessionDir, 'user', keep), { recursive: true });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
