// @ts-check
/**
 * The esbuild options of the bundled CLI, shared by esbuild.mjs (dist/cli.js) and the
 * Debian package (scripts/deb.ts), so that both bundle it the same way. The CLI runs on
 * hosts with the distribution's `nodejs` (Debian 12 and Ubuntu 24.04 ship Node 18), so it
 * targets node18; the client and the server keep node20 (VS Code's own Node).
 */

/**
 * @param {{ production: boolean, outfile: string }} o
 * @returns {import('esbuild').BuildOptions}
 */
export function cliBuildOptions(o) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: o.production,
    sourcemap: !o.production,
    logLevel: 'warning',
    entryPoints: ['cli/index.ts'],
    outfile: o.outfile,
    banner: { js: '#!/usr/bin/env node' },
  };
}
