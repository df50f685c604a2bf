/** Footprint section: production bundle sizes and the VSIX, built into a temp folder. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Section } from './harness';

export function footprintSection(): Section {
  const root = resolve(__dirname, '..');
  const out = mkdtempSync(join(tmpdir(), 'hj-bench-vsix-'));
  try {
    // vsce runs `vscode:prepublish`, the production build of dist/, before packaging.
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/@vscode/vsce/vsce'),
        'package',
        '--no-dependencies',
        '--no-rewrite-relative-links',
        '--out',
        join(out, 'x.vsix'),
      ],
      { cwd: root, stdio: 'ignore' },
    );
    const size = (p: string): number => statSync(p).size;
    const m = {
      'size.client_bytes': size(join(root, 'dist/client.js')),
      'size.server_bytes': size(join(root, 'dist/server.js')),
      'size.cli_bytes': size(join(root, 'dist/cli.js')),
      'size.vsix_bytes': size(join(out, 'x.vsix')),
    };
    const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`;
    return {
      title: 'footprint: production bundles and VSIX',
      rows: [],
      metrics: m,
      notes: [
        `client ${kb(m['size.client_bytes'])}, server ${kb(m['size.server_bytes'])}, cli ${kb(m['size.cli_bytes'])}, VSIX ${kb(m['size.vsix_bytes'])} (target VSIX < 300 KB)`,
      ],
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
