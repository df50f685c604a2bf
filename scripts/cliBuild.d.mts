/** Types of scripts/cliBuild.mjs (plain JavaScript, so that esbuild.mjs runs without a TypeScript loader). */
import type { BuildOptions } from 'esbuild';

export function cliBuildOptions(o: { production: boolean; outfile: string }): BuildOptions;
