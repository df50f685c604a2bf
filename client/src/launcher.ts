/**
 * "Install 'handoff-journal' Command in PATH" and its Uninstall, modelled on VS Code's
 * "Shell Command: Install 'code' command in PATH". On a host that has only the VS Code
 * server, the launcher runs the bundled CLI with the server's own Node. It is written to
 * `~/.local/bin` (or the first folder on PATH this user can write and no other user
 * can), safely (shared/launcher/node/install.ts: exclusive temp file, rename, checked
 * afterwards), and rewritten on every activation, so it follows extension and VS Code
 * server updates. Terminals opened by VS Code get its folder on PATH when the login
 * shell does not have it. Retry as Sudo… uses it only while it is still this user's own
 * file with exactly the text written.
 */
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  chooseDir,
  installLauncherFile,
  LAUNCHER_NAME,
  launcherProblem,
  launcherScript,
  pathDirs,
  removeLauncherFile,
} from '../../shared/launcher/node';
import type { Ctx } from './ctx';
import * as notify from './notify';

const STATE_KEY = 'handoffJournal.launcherPath';

const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The launcher script for this extension and this Node; throws (LauncherError) for a path with control characters. */
function script(ctx: Ctx): string {
  return launcherScript(process.execPath, ctx.extension.asAbsolutePath('dist/cli.js'));
}

/** The installed launcher's path, when there is one of ours that is still exactly what was written (else the sudo line uses Node and dist/cli.js). */
export function installedLauncher(ctx: Ctx): string | undefined {
  const path = ctx.extension.globalState.get<string>(STATE_KEY);
  if (path === undefined) return undefined;
  try {
    return launcherProblem(path, script(ctx)) === undefined ? path : undefined;
  } catch {
    return undefined;
  }
}

function putOnPath(ctx: Ctx, dir: string): void {
  ctx.extension.environmentVariableCollection.prepend('PATH', `${dir}${delimiter}`);
  ctx.extension.environmentVariableCollection.description = `Adds ${dir} (the 'handoff-journal' command) to PATH`;
}

export async function installLauncher(ctx: Ctx): Promise<void> {
  const { dir, onPath } = await chooseDir();
  const path = join(dir, LAUNCHER_NAME);
  try {
    await installLauncherFile(path, script(ctx));
  } catch (e) {
    void notify.error(`cannot install ${path}: ${why(e)}`);
    return;
  }
  await ctx.extension.globalState.update(STATE_KEY, path);
  ctx.log.info(`installed the launcher ${path}`);
  if (onPath) {
    void notify.info(`'handoff-journal' is installed as ${path}. Try it in a new terminal: handoff-journal --help`);
    return;
  }
  putOnPath(ctx, dir);
  void notify.warn(
    `'handoff-journal' is installed as ${path}, but ${dir} is not on your PATH. New terminals in VS Code get it; for SSH sessions add it to your shell profile: export PATH="${dir}:$PATH"`,
  );
}

export async function uninstallLauncher(ctx: Ctx): Promise<void> {
  const path = ctx.extension.globalState.get<string>(STATE_KEY) ?? join((await chooseDir()).dir, LAUNCHER_NAME);
  let removed: boolean;
  try {
    removed = await removeLauncherFile(path);
  } catch (e) {
    void notify.error(`cannot remove ${path}: ${why(e)}`);
    return;
  }
  await ctx.extension.globalState.update(STATE_KEY, undefined);
  ctx.extension.environmentVariableCollection.clear();
  void notify.info(removed ? `removed ${path}.` : `there is no 'handoff-journal' launcher of this extension at ${path}.`);
}

/** On activation: an installed launcher is rewritten for this extension version and this Node (where it is still safe to). */
export async function refreshLauncher(ctx: Ctx): Promise<void> {
  const path = ctx.extension.globalState.get<string>(STATE_KEY);
  if (!path) return;
  if (!existsSync(path)) {
    // Removed by hand: it stays removed.
    await ctx.extension.globalState.update(STATE_KEY, undefined);
    return;
  }
  try {
    await installLauncherFile(path, script(ctx));
  } catch (e) {
    ctx.log.warn(`cannot update ${path}: ${why(e)}; it is no longer used`);
    await ctx.extension.globalState.update(STATE_KEY, undefined);
    return;
  }
  const dir = dirname(path);
  if (!pathDirs().includes(dir)) putOnPath(ctx, dir);
}

export function registerLauncherCommands(ctx: Ctx): void {
  ctx.push(
    vscode.commands.registerCommand('handoffJournal.installCli', () => installLauncher(ctx)),
    vscode.commands.registerCommand('handoffJournal.uninstallCli', () => uninstallLauncher(ctx)),
  );
  void refreshLauncher(ctx);
}
