// @ts-check
/**
 * Bundles the client, the language server and the CLI into dist/. The client and the
 * server run on VS Code's own Node (20 or later); the CLI on the hosts' `nodejs`, 18 or
 * later (its options: scripts/cliBuild.mjs).
 */
import * as esbuild from 'esbuild';
import { cliBuildOptions } from './scripts/cliBuild.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [cliBuildOptions({ production, outfile: 'dist/cli.js' })];

const extra = [
  { entry: 'client/src/extension.ts', out: 'dist/client.js', external: ['vscode'] },
  { entry: 'server/src/main.ts', out: 'dist/server.js', external: [] },
];
import { existsSync } from 'node:fs';
for (const b of extra) {
  if (existsSync(b.entry)) builds.push({ ...common, entryPoints: [b.entry], outfile: b.out, external: b.external });
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
