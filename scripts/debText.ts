/**
 * The text files of the Debian package, as pure functions of their inputs (scripts/deb.ts
 * gathers the inputs and writes the files): the control file, the DEP-5 copyright file
 * of what the CLI bundle holds, the Debian changelog generated from CHANGELOG.md (Keep a
 * Changelog), and the maintainer scripts for the systemd units.
 */

export const PACKAGE = 'handoff-journal';
export const MAINTAINER = 'Handoff Journal maintainers <maintainers@handoff-journal.example.org>';

/** Licences Debian ships in /usr/share/common-licenses: referred to, not copied (Debian policy 12.5). */
const COMMON_LICENSES = new Set(['Apache-2.0', 'CC0-1.0', 'GPL-2', 'GPL-3', 'LGPL-2', 'LGPL-2.1', 'LGPL-3', 'MPL-1.1', 'MPL-2.0']);

export interface ControlInfo {
  version: string;
  installedSizeKiB: number;
}

export function controlFile(c: ControlInfo): string {
  return `Package: ${PACKAGE}
Version: ${c.version}
Architecture: all
Maintainer: ${MAINTAINER}
Installed-Size: ${c.installedSizeKiB}
Depends: nodejs (>= 18.19)
Recommends: prometheus-node-exporter
Section: admin
Priority: optional
Description: read, check and repair the handoff supervisor's journal
 The Rust handoff supervisor (beyondoss/handoff) keeps a crash-recovery journal
 of each zero-downtime handoff in /var/lib/beyond/handoff/<service>/state.bin.
 handoff-journal decodes and checks it, repairs it atomically, lists each
 supervisor's services and sockets, prints the supervisor's log of a handoff,
 and exports Prometheus gauges for node_exporter's textfile collector, with a
 systemd timer and alert rules.
`;
}

/** One package the CLI bundle holds, as esbuild's metafile names it, with its licence file. */
export interface BundledPackage {
  name: string;
  version: string;
  /** SPDX identifier from its package.json. */
  license: string;
  /** Its package.json author, when the licence file has no copyright line. */
  author?: string;
  /** The text of its LICENSE file. */
  licenseText: string;
}

/** A DEP-5 multi-line field value: continuation lines start with a space, empty lines are " .". */
function continued(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((l) => (l.trim() === '' ? ' .' : ` ${l.trimEnd()}`))
    .join('\n');
}

/** A licence file's copyright statement: "Copyright (c) 2015 Name", not the licence's own "copyright notice" or "Copyright [yyyy] [name of ...]" template. */
const isCopyrightLine = (l: string): boolean => /^\s*Copyright\b/.test(l) && !/\[yyyy\]|copyright (notice|holder|owner)/i.test(l);

function copyrightLines(p: BundledPackage): string[] {
  const lines = p.licenseText.split('\n').filter(isCopyrightLine);
  if (lines.length) return lines.map((l) => l.trim().replace(/^Copyright\s*(\(c\)|©)?\s*/i, ''));
  if (p.author) return [p.author.replace(/\s*\(https?:[^)]*\)/, '')];
  throw new Error(`${p.name}: its licence file has no copyright line and its package.json no author`);
}

/** The licence's text without the copyright lines and the title above the first paragraph. */
function licenseBody(p: BundledPackage): string {
  const lines = p.licenseText.split('\n').filter((l) => !isCopyrightLine(l));
  const start = lines.findIndex((l) => l.trim().length > 40);
  return lines.slice(Math.max(start, 0)).join('\n');
}

function licenseParagraph(name: string, from: BundledPackage): string {
  if (COMMON_LICENSES.has(name))
    return `License: ${name}\n On Debian systems, the full text of this licence is in\n /usr/share/common-licenses/${name}.`;
  return `License: ${name}\n${continued(licenseBody(from))}`;
}

export function copyrightFile(own: { year: string; holder: string; licenseText: string }, bundled: readonly BundledPackage[]): string {
  const ownPackage: BundledPackage = { name: PACKAGE, version: '', license: 'MIT', licenseText: own.licenseText };
  const byLicense = new Map<string, BundledPackage>([['MIT', ownPackage]]);
  for (const p of bundled) if (!byLicense.has(p.license)) byLicense.set(p.license, p);
  const files = bundled.map(
    (p) =>
      `Files: node_modules/${p.name}/*\nCopyright: ${copyrightLines(p).join('\n ')}\nLicense: ${p.license}\n` +
      `Comment: ${p.name} ${p.version}, bundled into /usr/lib/${PACKAGE}/cli.js.`,
  );
  return [
    `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: ${PACKAGE}\n` +
      `Upstream-Contact: ${MAINTAINER}\nComment: /usr/lib/${PACKAGE}/cli.js is one file bundled by esbuild from this\n` +
      ` project's code and the npm packages listed below (what the bundle's metafile names).`,
    `Files: *\nCopyright: ${own.year} ${own.holder}\nLicense: MIT`,
    ...files,
    ...[...byLicense].map(([name, p]) => licenseParagraph(name, p)),
  ]
    .join('\n\n')
    .concat('\n');
}

/** One version's entry of CHANGELOG.md. */
export interface ChangelogEntry {
  version: string;
  date: string;
  /** "Added: ...", "Changed: ..." items, Markdown removed. */
  items: string[];
}

/** Markdown inline markup to plain text: code spans, links, emphasis. */
function plainText(md: string): string {
  return md
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*([^*]*)\*\*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The versions of a Keep a Changelog file, newest first ("Unreleased" is left out). */
export function parseChangelog(md: string): ChangelogEntry[] {
  const entries: ChangelogEntry[] = [];
  let kind = '';
  for (const line of md.split('\n')) {
    const version = /^## \[(\d+\.\d+\.\d+[^\]]*)\] - (\d{4}-\d{2}-\d{2})\s*$/.exec(line);
    if (version) entries.push({ version: version[1] as string, date: version[2] as string, items: [] });
    else if (line.startsWith('## ')) kind = 'skip';
    const heading = /^### (\w+)/.exec(line);
    if (heading) kind = heading[1] as string;
    const entry = entries[entries.length - 1];
    if (!entry || kind === 'skip') continue;
    if (line.startsWith('- ')) entry.items.push(`${kind}: ${line.slice(2)}`);
    else if (/^ {2}\S/.test(line) && entry.items.length) entry.items[entry.items.length - 1] += ` ${line.trim()}`;
  }
  return entries.map((e) => ({ ...e, items: e.items.map(plainText) }));
}

function wrapItem(text: string, width = 78): string[] {
  const lines: string[] = [];
  let line = '  *';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > width && line.trim() !== '*') {
      lines.push(line);
      line = `    ${word}`;
    } else line += ` ${word}`;
  }
  return [...lines, line];
}

/** RFC 5322 date at noon UTC of a YYYY-MM-DD day (Debian changelog trailer). */
export function rfc5322(day: string): string {
  return new Date(`${day}T12:00:00Z`).toUTCString().replace('GMT', '+0000');
}

/** debian/changelog format for a native package, every version of CHANGELOG.md. */
export function debianChangelog(entries: readonly ChangelogEntry[]): string {
  return entries
    .map(
      (e) =>
        `${PACKAGE} (${e.version}) unstable; urgency=medium\n\n${e.items.flatMap((i) => wrapItem(i)).join('\n')}\n\n` +
        ` -- ${MAINTAINER}  ${rfc5322(e.date)}\n`,
    )
    .join('\n');
}

/**
 * Maintainer scripts for the units (what debhelper's dh_installsystemd would write, for
 * units the package does not enable): systemd rereads its units after install and
 * removal, the units are stopped before their files go, and purge removes the enablement
 * links `systemctl enable` made and the textfile the timer wrote. Where systemd is not
 * running (a container, a chroot), nothing is asked of it.
 */
export function maintainerScripts(units: readonly string[], textfile: string): Record<'postinst' | 'prerm' | 'postrm', string> {
  const running = '[ -d /run/systemd/system ]';
  const reload = `if ${running}; then\n  systemctl --system daemon-reload >/dev/null || true\nfi\n`;
  const wants = units.map((u) => `/etc/systemd/system/*.wants/${u}`).join(' ');
  return {
    postinst: `#!/bin/sh\nset -e\nif [ "$1" = configure ]; then\n  ${reload.trimEnd().replace(/\n/g, '\n  ')}\nfi\n`,
    prerm:
      `#!/bin/sh\nset -e\nif [ "$1" = remove ] && ${running} && command -v deb-systemd-invoke >/dev/null; then\n` +
      `  deb-systemd-invoke stop ${units.join(' ')} >/dev/null || true\nfi\n`,
    postrm:
      `#!/bin/sh\nset -e\nif [ "$1" = remove ] || [ "$1" = purge ]; then\n  ${reload.trimEnd().replace(/\n/g, '\n  ')}\nfi\n` +
      `if [ "$1" = purge ]; then\n  rm -f ${wants}\n  rm -f ${textfile}\nfi\n`,
  };
}
