// @ts-check
/** Bundles the client, the language server and the CLI into dist/. */
import * as esbuild from 'esbuild';

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
const builds = [{ ...common, entryPoints: ['cli/index.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }];

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
