/**
 * Entry point of the bundled language server (`dist/server.js`): makes the connection
 * (stdio, node-ipc or socket, from the command line), routes console output to it and
 * starts the server with the real clock, /proc and file watching.
 *
 * Test hooks, read only from the environment of the process that starts the server:
 * HANDOFF_JOURNAL_FAKE_NOW=<unix ms> fixes the clock; HANDOFF_JOURNAL_FAKE_PROCS=
 * "pid:command,..." replaces /proc (pids not listed are not running).
 */
import { randomBytes } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { procProcessTable } from '../../shared/node/processTable';
import type { ProcessInfo } from '../../shared/validate';
import type { ServerDeps } from './deps';
import { startServer } from './server';
import { watchDirectory } from './watch';

function fakeProcs(spec: string): (pid: number) => ProcessInfo {
  const table = new Map<number, string>();
  for (const part of spec.split(',')) {
    const [pid, command] = part.split(':');
    if (pid && /^\d+$/.test(pid)) table.set(Number(pid), command ?? '');
  }
  return (pid) => (table.has(pid) ? { running: true, command: table.get(pid) as string } : { running: false });
}

const connection = createConnection(ProposedFeatures.all);
// Route stray console output to the client's log instead of corrupting the stdio stream.
/* eslint-disable no-console */
console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
console.info = console.log;
console.warn = (...a: unknown[]) => connection.console.warn(a.map(String).join(' '));
console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));
/* eslint-enable no-console */

const fakeNow = process.env.HANDOFF_JOURNAL_FAKE_NOW;
const fakeProcSpec = process.env.HANDOFF_JOURNAL_FAKE_PROCS;
const realProcs = procProcessTable();
let uid = 'user';
try {
  uid = String(userInfo().uid);
} catch {
  // No passwd entry: keep the generic name.
}

const deps: ServerDeps = {
  now: fakeNow && /^\d+$/.test(fakeNow) ? () => Number(fakeNow) : () => Date.now(),
  processTable: () => (fakeProcSpec !== undefined ? fakeProcs(fakeProcSpec) : realProcs),
  watchDir: watchDirectory,
  random: (n) => new Uint8Array(randomBytes(n)),
  defaultStorageDir: join(tmpdir(), `handoff-journal-${uid}`),
};

process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));

startServer(connection, deps);
