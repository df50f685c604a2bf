/**
 * Entry point of the bundled language server (`dist/server.js`): makes the connection
 * (stdio, node-ipc or socket, from the command line), routes console output to it and
 * starts the server with the real clock, /proc and file watching. Tests that need a
 * fixed clock or process table start `startServer` in process with their own deps.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { procProcessTable } from '../../shared/journal/node';
import type { ServerDeps } from './deps';
import { startServer } from './server';
import { watchDirectory } from './watch';

const connection = createConnection(ProposedFeatures.all);
// Route stray console output to the client's log instead of corrupting the stdio stream.
/* eslint-disable no-console */
console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
console.info = console.log;
console.warn = (...a: unknown[]) => connection.console.warn(a.map(String).join(' '));
console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));
/* eslint-enable no-console */

const realProcs = procProcessTable();
let uid = 'user';
try {
  uid = String(userInfo().uid);
} catch {
  // No passwd entry: keep the generic name.
}

const deps: ServerDeps = {
  now: () => Date.now(),
  processTable: () => realProcs,
  watchDir: watchDirectory,
  random: (n) => new Uint8Array(randomBytes(n)),
  defaultStorageDir: join(tmpdir(), `handoff-journal-${uid}`),
};

process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? String(e)}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));

startServer(connection, deps);
