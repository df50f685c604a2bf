/**
 * `npm run screenshots`: copies the screenshots the newest e2e run took into the README's
 * docs/images/ and the walkthrough's images/walkthrough/ (scaled down to 640 px and a
 * 16-colour palette with ImageMagick's `convert`, Debian package imagemagick, so the VSIX
 * stays small). Run it after `npm run test:e2e`; every picture comes from a real run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_CACHE, REPO_ROOT } from '../test/e2e/codeServer';

/** README picture ← the e2e screenshot it comes from (`<scenario>-NN-<name>.png`, NN ignored). */
const README: Record<string, string> = {
  'decoded-view': 'open-decoded-decoded-view',
  diagnostics: 'corrupt-journal-problems',
  hover: 'corrupt-journal-hover',
  'illegal-transition': 'live-updates-illegal-transition',
  'journals-view': 'journals-view-journals-view',
  'after-reset': 'reset-and-undo-after-reset',
  'diagram-light': 'diagram-diagram-light',
  'diagram-dark': 'diagram-diagram-dark',
  'supervisor-log': 'supervisor-log-supervisor-log',
  'sudo-terminal': 'user-retry-as-sudo-sudo-terminal',
  unreadable: 'user-unreadable-journal-unreadable',
  walkthrough: 'walkthrough-walkthrough',
};

/** Walkthrough step image ← e2e screenshot. */
const WALKTHROUGH: Record<string, string> = {
  open: 'open-decoded-decoded-view',
  finding: 'corrupt-journal-hover',
  reset: 'reset-and-undo-after-reset',
  diagram: 'diagram-diagram-dark',
  trigger: 'trigger-handoff-triggered',
  log: 'supervisor-log-supervisor-log',
};

function newestShots(): Map<string, string> {
  const runs = readdirSync(E2E_CACHE)
    .filter((d) => d.startsWith('run-'))
    .sort()
    .reverse();
  const shots = new Map<string, string>();
  // Newest run first; an older run fills in scenarios the newest did not run (--only).
  for (const run of runs)
    for (const f of readdirSync(join(E2E_CACHE, run))) {
      const key = f.replace(/-\d{2}-/, '-').replace(/\.png$/, '');
      if (f.endsWith('.png') && !shots.has(key)) shots.set(key, join(E2E_CACHE, run, f));
    }
  return shots;
}

const CONVERT = existsSync('/usr/bin/convert') ? '/usr/bin/convert' : 'convert';

function put(from: string, to: string, small: boolean): void {
  mkdirSync(join(to, '..'), { recursive: true });
  if (!small) copyFileSync(from, to);
  else if (spawnSync(CONVERT, [from, '-resize', '640x>', '-colors', '16', '-strip', `PNG8:${to}`]).status !== 0)
    throw new Error(`${CONVERT} failed on ${from}: install Debian's imagemagick`);
  console.log(`${to.slice(REPO_ROOT.length + 1)} <- ${from.slice(E2E_CACHE.length + 1)}`);
}

const shots = newestShots();
let missing = 0;
for (const [target, table, small] of [
  [join(REPO_ROOT, 'docs', 'images'), README, false],
  [join(REPO_ROOT, 'images', 'walkthrough'), WALKTHROUGH, true],
] as const) {
  for (const [name, shot] of Object.entries(table)) {
    const from = shots.get(shot);
    if (from && existsSync(from)) put(from, join(target, `${name}.png`), small);
    else {
      missing++;
      console.error(`no e2e screenshot ${shot} (run the scenario first)`);
    }
  }
}
process.exitCode = missing > 0 ? 1 : 0;
