/**
 * The Debian package's text files (scripts/debText.ts): the changelog generated from
 * CHANGELOG.md, the DEP-5 copyright file, the maintainer scripts. The packaging test
 * (test/package/deb.test.ts) checks the built package with lintian and dpkg itself.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { copyrightFile, debianChangelog, maintainerScripts, parseChangelog, rfc5322 } from '../../scripts/debText';

const ROOT = resolve(__dirname, '../..');
const CHANGELOG = readFileSync(resolve(ROOT, 'CHANGELOG.md'), 'utf8');
const VERSION = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('changelog', () => {
  it("CHANGELOG.md has an entry for package.json's version, newest first", () => {
    const entries = parseChangelog(CHANGELOG);
    assert.equal(entries[0]?.version, VERSION);
    assert.ok(entries.every((e) => e.items.length > 0 && /^\d{4}-\d{2}-\d{2}$/.test(e.date)));
    assert.ok(entries.some((e) => e.version === '0.1.0'));
  });

  it('turns sections into items, drops Markdown, skips Unreleased', () => {
    const md = `# Changelog\n\n## [Unreleased]\n\n### Added\n\n- not yet\n\n## [1.2.3] - 2026-01-02\n\n### Fixed\n\n- the \`show\` command, see\n  [docs](https://x.invalid) and **this**\n`;
    assert.deepEqual(parseChangelog(md), [{ version: '1.2.3', date: '2026-01-02', items: ['Fixed: the show command, see docs and this'] }]);
  });

  it("is Debian's format: header, items wrapped at 78 columns, trailer with an RFC 5322 date", () => {
    const text = debianChangelog(parseChangelog(CHANGELOG));
    const lines = text.split('\n');
    assert.match(lines[0] as string, new RegExp(`^handoff-journal \\(${VERSION.replace(/\./g, '\\.')}\\) unstable; urgency=medium$`));
    assert.ok(lines.every((l) => (l.length <= 80 || l.startsWith(' -- ')) && !l.includes('`')));
    assert.ok(lines.filter((l) => l.startsWith(' -- ')).every((l) => /^ -- .+ <.+>  \w{3}, \d{2} \w{3} \d{4} 12:00:00 \+0000$/.test(l)));
    assert.equal(rfc5322('2026-12-03'), 'Thu, 03 Dec 2026 12:00:00 +0000');
  });
});

describe('copyright', () => {
  const apache = `   Apache License\n   copyright license to reproduce, prepare Derivative Works of,\n   Copyright [yyyy] [name of copyright owner]\n`;
  const text = copyrightFile(
    {
      year: '2026',
      holder: 'Us',
      licenseText: 'MIT License\n\nCopyright (c) 2026 Us\n\nPermission is hereby granted, free of charge, to any person...\n',
    },
    [
      { name: '@a/b', version: '1.0.0', license: 'Apache-2.0', author: 'The A Authors', licenseText: apache },
      {
        name: 'c',
        version: '2.0.0',
        license: 'ISC',
        licenseText: 'Copyright (c) 2019 C People\n\nPermission to use, copy, modify, and/or distribute this software...\n',
      },
    ],
  );

  it('names each bundled package with its own copyright, and each licence once', () => {
    assert.match(text, /^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/$/m);
    assert.match(text, /Files: node_modules\/@a\/b\/\*\nCopyright: The A Authors\nLicense: Apache-2.0\nComment: @a\/b 1\.0\.0, bundled/);
    assert.match(text, /Files: node_modules\/c\/\*\nCopyright: 2019 C People\nLicense: ISC/);
    assert.match(
      text,
      /License: Apache-2.0\n On Debian systems, the full text of this licence is in\n \/usr\/share\/common-licenses\/Apache-2.0\./,
    );
    assert.match(text, /License: ISC\n Permission to use/);
    assert.match(text, /License: MIT\n Permission is hereby granted/);
    assert.equal(text.match(/^License: MIT$/gm)?.length, 2, 'Files: * and the standalone paragraph');
  });

  it('refuses a package whose copyright holder it cannot name', () => {
    assert.throws(
      () =>
        copyrightFile({ year: '2026', holder: 'Us', licenseText: '' }, [
          { name: 'd', version: '1', license: 'MIT', licenseText: 'Permission is granted' },
        ]),
      /d: .*no copyright line/,
    );
  });
});

describe('maintainer scripts', () => {
  const s = maintainerScripts(['x.service', 'x.timer'], '/var/lib/prometheus/node-exporter/x.prom');
  it('ask systemd only where it runs, stop the units on remove, and purge what the package made', () => {
    for (const script of Object.values(s)) assert.match(script, /^#!\/bin\/sh\nset -e\n/);
    assert.match(s.prerm, /\[ "\$1" = remove \] && \[ -d \/run\/systemd\/system \].*\n {2}deb-systemd-invoke stop x\.service x\.timer/);
    assert.match(
      s.postrm,
      /if \[ "\$1" = purge \]; then\n {2}rm -f \/etc\/systemd\/system\/\*\.wants\/x\.service \/etc\/systemd\/system\/\*\.wants\/x\.timer\n {2}rm -f \/var\/lib\/prometheus\/node-exporter\/x\.prom\n/,
    );
    assert.match(s.postinst, /systemctl --system daemon-reload/);
  });
});
