/**
 * Loads the codecs as shipped: bundled by esbuild (no `keepNames`), instead of through
 * tsx's on-the-fly transform, which wraps every closure in an `__name(...)` helper and
 * makes closure-heavy code (decodeJson, decodeMsgpack) measurably slower than the
 * bundled extension. Used by `bench/run.ts --bundled`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { CodecImpl } from './codec';

export function loadBundledCodecs(): CodecImpl {
  const shared = join(__dirname, '..', 'shared', 'journal', 'codec');
  const out = buildSync({
    stdin: {
      contents:
        "export { decodePostcard, encodePostcard } from './postcard';\nexport { decodeMsgpack } from './msgpack';\nexport { decodeJson } from './json';\n",
      resolveDir: shared,
      loader: 'ts',
      sourcefile: 'bench-codecs.ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text;
  if (code === undefined) throw new Error('esbuild produced no output');
  const dir = mkdtempSync(join(tmpdir(), 'hj-bench-'));
  try {
    const file = join(dir, 'codecs.cjs');
    writeFileSync(file, code);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as CodecImpl;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
