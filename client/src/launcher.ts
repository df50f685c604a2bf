/**
 * "Install 'handoff-journal' Command in PATH" and its Uninstall, modelled on VS Code's
 * "Shell Command: Install 'code' command in PATH". On a host that has only the VS Code
 * server, the launcher runs the bundled CLI with the server's own Node. It is written to
 * `~/.local/bin` (or the first user-writable folder on PATH), and rewritten on every
 * activation, so it follows extension and VS Code server updates. Terminals opened by
 * VS Code get its folder on PATH when the login shell does not have it.
 */
import { chmod, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { chooseDir, LAUNCHER_MARKER as MARKER, LAUNCHER_NAME, launcherScript, pathDirs } from '../../shared/launcher/node';
import type { Ctx } from './ctx';
import * as notify from './notify';

const STATE_KEY = 'handoffJournal.launcherPath';

/** The text at `path`, undefined when there is none to read. */
function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/**
 * Writes the launcher atomically (temp file, rename), never over a file that is not ours;
 * `existing` is what is at `path` now.
 */
async function writeLauncher(path: string, script: string, existing: string | undefined): Promise<void> {
  if (existing !== undefined && !existing.includes(MARKER))
    throw new Error(`${path} exists and was not written by Handoff Journal; remove it first`);
  if (existing === script) return;
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, script, { mode: 0o755 });
  await chmod(tmp, 0o755);
  await rename(tmp, path);
}

/** The installed launcher's path, when there is one of ours. */
export function installedLauncher(ctx: Ctx): string | undefined {
  return ctx.extension.globalState.get<string>(STATE_KEY);
}

function script(ctx: Ctx): string {
  return launcherScript(process.execPath, ctx.extension.asAbsolutePath('dist/cli.js'));
}

function putOnPath(ctx: Ctx, dir: string): void {
  ctx.extension.environmentVariableCollection.prepend('PATH', `${dir}${delimiter}`);
  ctx.extension.environmentVariableCollection.description = `Adds ${dir} (the 'handoff-journal' command) to PATH`;
}

export async function installLauncher(ctx: Ctx): Promise<void> {
  const { dir, onPath } = await chooseDir();
  const path = join(dir, LAUNCHER_NAME);
  try {
    await mkdir(dir, { recursive: true });
    await writeLauncher(path, script(ctx), await readText(path));
  } catch (e) {
    void notify.error(`cannot install ${path}: ${e instanceof Error ? e.message : String(e)}`);
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
  const path = installedLauncher(ctx) ?? join((await chooseDir()).dir, LAUNCHER_NAME);
  if (!(await readText(path))?.includes(MARKER)) {
    void notify.info(`there is no 'handoff-journal' launcher of this extension at ${path}.`);
    await ctx.extension.globalState.update(STATE_KEY, undefined);
    return;
  }
  await unlink(path).catch((e: unknown) => void notify.error(`cannot remove ${path}: ${e instanceof Error ? e.message : String(e)}`));
  await ctx.extension.globalState.update(STATE_KEY, undefined);
  ctx.extension.environmentVariableCollection.clear();
  void notify.info(`removed ${path}.`);
}

/** On activation: an installed launcher is rewritten for this extension version and this Node. */
export async function refreshLauncher(ctx: Ctx): Promise<void> {
  const path = installedLauncher(ctx);
  if (!path) return;
  const existing = await readText(path);
  if (!existing?.includes(MARKER)) {
    await ctx.extension.globalState.update(STATE_KEY, undefined);
    return;
  }
  await writeLauncher(path, script(ctx), existing).catch((e: unknown) => ctx.log.warn(`cannot update ${path}: ${String(e)}`));
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
