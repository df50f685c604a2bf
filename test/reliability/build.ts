/** Bundles the reliability helpers that run as child processes, so they start fast. */
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';

export const OUT = resolve(__dirname, '../../out/reliability');

export function buildChildren(): { resetLoop: string; writerLoop: string } {
  const entries = ['resetLoop', 'writerLoop'];
  buildSync({
    entryPoints: entries.map((e) => resolve(__dirname, `${e}.ts`)),
    outdir: OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  return { resetLoop: resolve(OUT, 'resetLoop.js'), writerLoop: resolve(OUT, 'writerLoop.js') };
}
