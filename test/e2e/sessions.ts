/**
 * Which code-server + browser each scenario runs in. Two kinds of run: as root (the
 * harness's user) on a copy of workspace-template/, then as the unprivileged user on a
 * root-owned host tree. Scenarios without `session` share the root session; scenarios whose
 * session is only `{ user: 'unprivileged' }` share the unprivileged one; any other option
 * gets a session of its own. A shared session is reset (UI, terminals, journals) between
 * its scenarios.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetUi, startSession, type Scenario, type Session } from './harness';
import { newHostTree, prepareHostTree, type HostTree } from './hostTree';
import { ensureHostUser, forgetSudo, type HostUser } from './hostUser';
import { onCleanup } from './processes';
import { prepareWorkspace } from './workspace';

type Kind = 'root' | 'unprivileged';

export const kindOf = (s: Scenario): Kind => (s.session?.user === 'unprivileged' ? 'unprivileged' : 'root');

/** The scenarios in the order they run: every root one (in file order), then the unprivileged ones. */
export function runOrder(scenarios: Scenario[]): Scenario[] {
  return [...scenarios.filter((s) => kindOf(s) === 'root'), ...scenarios.filter((s) => kindOf(s) === 'unprivileged')];
}

function sharedKind(s: Scenario): Kind | undefined {
  if (s.session === undefined) return 'root';
  const keys = Object.keys(s.session);
  return keys.length === 1 && keys[0] === 'user' && s.session.user === 'unprivileged' ? 'unprivileged' : undefined;
}

export class SessionPool {
  private readonly shared = new Map<Kind, Session>();
  private readonly folders: string[] = [];
  private user: HostUser | undefined;

  constructor(private readonly o: { runDir: string; marker: string; vsix: string; keep: boolean }) {
    if (!o.keep) onCleanup(() => this.folders.forEach((f) => rmSync(f, { recursive: true, force: true })));
  }

  /** Whether the session is one of the shared ones (closed by `closeAll`, not after the scenario). */
  isShared = (s: Session): boolean => [...this.shared.values()].includes(s);

  /** The session for scenario number `i`: a shared one (reset for it) or a new one. */
  async sessionFor(s: Scenario, i: number): Promise<Session> {
    const kind = kindOf(s);
    // The root session is done once the unprivileged scenarios start (they run last).
    if (kind === 'unprivileged') await this.close('root');
    const sk = sharedKind(s);
    const existing = sk === undefined ? undefined : this.shared.get(sk);
    if (existing !== undefined) {
      await resetUi(existing.wb);
      await (existing.host ? prepareHostTree(existing.host) : prepareWorkspace(existing.workspace));
      if (existing.user) forgetSudo(existing.user);
      return existing;
    }
    const session = await this.start(s, sk === undefined ? `session-${i}` : `session-shared${kind === 'root' ? '' : '-user'}`, i);
    if (sk !== undefined) this.shared.set(sk, session);
    return session;
  }

  private async start(s: Scenario, dirName: string, i: number): Promise<Session> {
    const base = {
      dir: join(this.o.runDir, dirName),
      runDir: this.o.runDir,
      // Its own marker: closing one session must not kill another's processes.
      marker: sharedKind(s) === 'root' ? this.o.marker : `${this.o.marker}-s${i}`,
      vsix: this.o.vsix,
      options: s.session,
    };
    if (kindOf(s) === 'root') return startSession({ ...base, workspace: await this.workspace(s.session?.emptyWorkspace === true) });
    const user = this.hostUser();
    const host = await this.hostTree();
    return startSession({ ...base, workspace: host.journalsDir, as: { user, host } });
  }

  private hostUser(): HostUser {
    if (this.user === undefined) {
      this.user = ensureHostUser();
      console.log(`e2e: as the unprivileged user ${this.user.name} (uid ${this.user.uid}, groups ${this.user.name} and sudo)`);
    }
    return this.user;
  }

  private async workspace(empty: boolean): Promise<string> {
    const ws = mkdtempSync(join(tmpdir(), 'hj-e2e-ws-'));
    this.folders.push(ws);
    if (empty) writeFileSync(join(ws, 'README.md'), '# A project without handoff journals\n');
    else await prepareWorkspace(ws);
    return ws;
  }

  private async hostTree(): Promise<HostTree> {
    const tree = await newHostTree();
    this.folders.push(tree.root);
    return tree;
  }

  private async close(kind: Kind): Promise<void> {
    await this.shared.get(kind)?.close();
    this.shared.delete(kind);
  }

  async closeAll(): Promise<void> {
    await this.close('root');
    await this.close('unprivileged');
  }
}
