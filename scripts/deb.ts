/**
 * `npm run deb`: builds dist/handoff-journal_<version>_all.deb with `dpkg-deb --build
 * --root-owner-group` from a staging tree (README, "Fleet monitoring"). It holds:
 * - /usr/lib/handoff-journal/cli.js, the CLI bundled for Node 18 (production build; read
 *   by Node, not run itself), and /usr/bin/handoff-journal, which runs it with /usr/bin/node;
 * - every unit of contrib/systemd/ in /lib/systemd/system/;
 * - contrib/prometheus/ (and contrib/grafana/ when there is one) in /usr/share/handoff-journal/;
 * - the bash and zsh completion (the CLI's own `completion bash|zsh`) where Debian's shells
 *   look for them, and handoff-journal(1) from the command table (cli/manPage.ts);
 * - /usr/share/doc/handoff-journal/: the DEP-5 copyright of what the bundle holds (from
 *   esbuild's metafile) and changelog.gz (from CHANGELOG.md).
 * Reproducible: every date is the version's CHANGELOG date (SOURCE_DATE_EPOCH), gzip -9n.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { manPage } from '../cli/manPage';
import { cliBuildOptions } from './cliBuild.mjs';
import { controlFile, copyrightFile, debianChangelog, maintainerScripts, PACKAGE, parseChangelog, type BundledPackage } from './debText';

const ROOT = resolve(__dirname, '..');
const LIB = `usr/lib/${PACKAGE}`;
const DOC = `usr/share/doc/${PACKAGE}`;

/** Writes a file into the staging tree, its folders made, mode 0644 unless said. */
function put(stage: string, path: string, data: string | Buffer, mode = 0o644): void {
  const p = join(stage, path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
  chmodSync(p, mode);
}

/** The command: the distribution's Node (Depends: nodejs) on the bundle. */
const LAUNCHER = `#!/bin/sh
# ${PACKAGE}: the CLI bundled in /${LIB}/cli.js, run by the distribution's Node.
exec /usr/bin/node /${LIB}/cli.js "$@"
`;

const gzip = (data: string | Buffer): Buffer => execFileSync('gzip', ['-9n'], { input: data, maxBuffer: 64 << 20 });

/** The npm packages esbuild put into the bundle, with their licences. */
function bundledPackages(metafile: esbuild.Metafile): BundledPackage[] {
  const names = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) names.add(m[1] as string);
  }
  return [...names].sort().map((name) => {
    const dir = join(ROOT, 'node_modules', name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version: string;
      license?: string;
      author?: string | { name: string };
    };
    const file = readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
    if (!file || !pkg.license)
      throw new Error(`${name}: no licence file or no "license" in its package.json; the .deb cannot say under which terms it ships`);
    const author = typeof pkg.author === 'object' ? pkg.author.name : pkg.author;
    return {
      name,
      version: pkg.version,
      license: pkg.license,
      licenseText: readFileSync(join(dir, file), 'utf8'),
      ...(author ? { author } : {}),
    };
  });
}

/** The CLI bundle, its launcher, completions and man page. */
async function stageCli(stage: string, version: string, date: string): Promise<BundledPackage[]> {
  const outfile = join(stage, LIB, 'cli.js');
  const options = {
    ...cliBuildOptions({ production: true, outfile }),
    metafile: true,
    banner: {},
    absWorkingDir: ROOT,
  };
  const result = await esbuild.build(options);
  chmodSync(outfile, 0o644);
  put(stage, `usr/bin/${PACKAGE}`, LAUNCHER, 0o755);
  const run = (...args: string[]): string => execFileSync(process.execPath, [outfile, ...args], { encoding: 'utf8' });
  if (run('--version').trim() !== version) throw new Error('the bundled CLI does not report the package version');
  put(stage, `usr/share/bash-completion/completions/${PACKAGE}`, run('completion', 'bash'));
  put(stage, `usr/share/zsh/vendor-completions/_${PACKAGE}`, run('completion', 'zsh'));
  put(stage, `usr/share/man/man1/${PACKAGE}.1.gz`, gzip(manPage({ version, date })));
  return bundledPackages(result.metafile as esbuild.Metafile);
}

/** contrib/: the units, the rules and dashboards; returns the unit names and the metrics textfile. */
function stageContrib(stage: string): { units: string[]; textfile: string } {
  const units = readdirSync(join(ROOT, 'contrib/systemd')).sort();
  if (!units.length) throw new Error('contrib/systemd/ has no unit');
  for (const u of units) put(stage, `lib/systemd/system/${u}`, readFileSync(join(ROOT, 'contrib/systemd', u)));
  for (const folder of ['prometheus', 'grafana']) {
    const from = join(ROOT, 'contrib', folder);
    if (!existsSync(from)) continue;
    cpSync(from, join(stage, `usr/share/${PACKAGE}`, folder), { recursive: true });
  }
  const service = readFileSync(join(ROOT, 'contrib/systemd', `${PACKAGE}-metrics.service`), 'utf8');
  const dir = /^ExecStart=.* --textfile (\S+)/m.exec(service)?.[1];
  if (!dir) throw new Error(`${PACKAGE}-metrics.service has no --textfile DIR in its ExecStart`);
  return { units, textfile: `${dir}/${PACKAGE}.prom` };
}

/**
 * Every folder 0755 (files were given their modes when written), every time the
 * version's date: the same tree gives the same bytes. Returns the size in KiB, as
 * dpkg-gencontrol counts it (each file rounded up, 1 per folder).
 */
function normalise(dir: string, time: Date): number {
  let kib = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) {
      chmodSync(p, 0o755);
      kib += 1 + normalise(p, time);
    } else kib += Math.ceil(st.size / 1024);
    lutimesSync(p, time, time);
  }
  lutimesSync(dir, time, time);
  return kib;
}

export async function buildDeb(outDir = join(ROOT, 'dist')): Promise<string> {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const changelog = parseChangelog(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'));
  const entry = changelog.find((e) => e.version === version);
  if (!entry) throw new Error(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" entry for package.json's version`);
  const stage = mkdtempSync(join(tmpdir(), 'hj-deb-'));
  try {
    chmodSync(stage, 0o755);
    const bundled = await stageCli(stage, version, entry.date);
    const { units, textfile } = stageContrib(stage);
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    const holder = /^Copyright \(c\) (\d{4}) (.+)$/m.exec(license);
    if (!holder) throw new Error('LICENSE has no "Copyright (c) YEAR HOLDER" line');
    put(
      stage,
      `${DOC}/copyright`,
      copyrightFile({ year: holder[1] as string, holder: holder[2] as string, licenseText: license }, bundled),
    );
    put(stage, `${DOC}/changelog.gz`, gzip(debianChangelog(changelog)));
    const files = execFileSync('find', ['.', '-type', 'f', '-printf', '%P\\0'], { cwd: stage, encoding: 'utf8' });
    const sums = execFileSync('xargs', ['-0', 'md5sum'], { cwd: stage, input: files, encoding: 'utf8' });
    const time = new Date(`${entry.date}T12:00:00Z`);
    const kib = normalise(stage, time);
    for (const [name, text] of Object.entries(maintainerScripts(units, textfile))) put(stage, `DEBIAN/${name}`, text, 0o755);
    put(stage, 'DEBIAN/md5sums', sums.split('\n').filter(Boolean).sort().join('\n') + '\n');
    put(stage, 'DEBIAN/control', controlFile({ version, installedSizeKiB: kib }));
    normalise(stage, time);
    mkdirSync(outDir, { recursive: true });
    const out = join(outDir, `${PACKAGE}_${version}_all.deb`);
    const epoch = String(time.getTime() / 1000);
    execFileSync('dpkg-deb', ['--build', '--root-owner-group', '-Zxz', stage, out], {
      env: { ...process.env, SOURCE_DATE_EPOCH: epoch },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  buildDeb().then(
    (out) => console.log(`${relative(process.cwd(), out)}: ${(statSync(out).size / 1024).toFixed(1)} KiB`),
    (e: unknown) => {
      console.error(`npm run deb: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
