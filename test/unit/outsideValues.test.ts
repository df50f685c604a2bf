/**
 * The pure deciders behind the second audit's fixes: which `logCommand` values are
 * substituted, which /proc/net/unix rows could lie inside another socket's name, when
 * the journal on disk contradicts a log's outcome, and how shown command lines quote.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diskContradiction, substituteLogCommand, type HandoffSummary, type LogCommandVars } from '../../shared/supervisorLog';
import { procUnixRows } from '../../shared/supervisor/node';
import { posixQuote, shellQuote } from '../../shared/util';

const ID = '5b850ada-a2d1-473b-b929-a2cf15fd872c';
const VARS: LogCommandVars = { handoffId: ID, pid: 7222, service: 'kv', journal: '/var/lib/beyond/handoff/kv/state.bin' };

describe('substituteLogCommand', () => {
  it('fills plain values, a braced id in its canonical form', () => {
    const r = substituteLogCommand(['ssh', 'loghost', 'grep', '${handoffId}', '/var/log/${service}-${pid}.log', '${journal}'], {
      ...VARS,
      handoffId: `{${ID.toUpperCase()}}`,
    });
    assert.deepEqual(r, { ok: true, argv: ['ssh', 'loghost', 'grep', ID, '/var/log/kv-7222.log', VARS.journal] });
  });

  it('refuses what a shell could misread, saying which value', () => {
    const refused = (argv: string[], vars: LogCommandVars = VARS): string => {
      const r = substituteLogCommand(argv, vars);
      assert.equal(r.ok, false);
      return r.ok ? '' : r.message;
    };
    assert.match(refused(['echo', '${handoffId}'], { ...VARS, handoffId: '$(reboot)' }), /handoff id "\$\(reboot\)" is not a UUID/);
    assert.match(refused(['echo', '${service}'], { ...VARS, service: 'kv;id' }), /service name "kv;id" is not a plain name/);
    assert.match(refused(['echo', '${service}'], { ...VARS, service: '-oProxyCommand=x' }), /not a plain name/);
    assert.match(refused(['echo', '${pid}'], { handoffId: ID, service: 'kv', journal: VARS.journal }), /no supervisor pid is known/);
    assert.match(refused(['cat', '--file=${journal}']), /must be a whole argument/);
    assert.match(refused(['cat', '${journal}'], { ...VARS, journal: '/srv/a b/state.bin' }), /characters a shell would read/);
    // No placeholder, nothing to refuse.
    assert.deepEqual(substituteLogCommand(['journalctl', '-u', 'kv'], { ...VARS, service: '$(x)' }), {
      ok: true,
      argv: ['journalctl', '-u', 'kv'],
    });
  });
});

describe('procUnixRows', () => {
  const hdr = 'Num       RefCount Protocol Flags    Type St Inode Path';
  const row = (inode: number, name?: string): string =>
    `0000000000000000: 00000002 00000000 00010000 0001 01 ${String(inode).padStart(5)}${name === undefined ? '' : ` ${name}`}`;

  it('marks a row that could be the rest of a short name before it; not one after an unnamed or long-named row', () => {
    const t = [
      hdr,
      row(11, '@'),
      row(12, '/run/kv/t.sock'),
      row(13),
      row(14, '/run/kv/t.sock'),
      row(15, `/${'x'.repeat(60)}`),
      row(16, '/run/kv/t.sock'),
    ].join('\n');
    assert.deepEqual(
      procUnixRows(t).map((r) => [r.inode, r.ambiguous]),
      [
        [11, false],
        [12, true],
        [14, false],
        [15, false],
        [16, false],
      ],
    );
  });

  it('keeps a name holding \\r or spaces whole, and skips lines that are not rows', () => {
    const t = [hdr, row(21, '@a\r'), 'garbage line', row(22, '/tmp/with space.sock')].join('\n');
    assert.deepEqual(
      procUnixRows(t).map((r) => r.path),
      ['@a\r', '/tmp/with space.sock'],
    );
  });
});

describe('diskContradiction', () => {
  const summary = (outcome: HandoffSummary['outcome'], passing: HandoffSummary['events'][number]['disk']['passing']): HandoffSummary => ({
    id: ID,
    events: [{ kind: 'commit', index: 3, name: 'handoff.commit', message: 'commit', disk: { after: null, passing } }],
    outcome,
    sentence: 'committed',
    durations: {},
    diskAtEnd: null,
    findings: [],
  });

  it('marks "committed" when the same handoff is still on disk mid-way, not when it is at a phase the log passed through', () => {
    assert.match(
      String(diskContradiction(summary({ kind: 'committed' }, ['Committed']), { id: ID, phase: 'Draining' })),
      /still holds handoff .* at Draining/,
    );
    assert.equal(diskContradiction(summary({ kind: 'committed' }, ['Committed']), { id: ID, phase: 'Committed' }), undefined);
    assert.equal(
      diskContradiction(summary({ kind: 'committed' }, ['Committed']), { id: '00000000-0000-4000-8000-000000000000', phase: 'Draining' }),
      undefined,
    );
    assert.equal(diskContradiction(summary({ kind: 'committed' }, ['Committed']), undefined), undefined);
  });
});

describe('shown command lines and scripts', () => {
  it("shown lines escape bidi and separators with $'…'; scripts never use it", () => {
    assert.equal(shellQuote('/srv/a\u202eb'), "$'/srv/a\\u202eb'");
    assert.equal(shellQuote('/srv/a\u2028b'), "$'/srv/a\\u2028b'");
    assert.equal(shellQuote('/srv/a\u009bb'), "$'/srv/a\\u009bb'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(posixQuote("it's $(x)"), `'it'\\''s $(x)'`);
    assert.equal(posixQuote('/usr/bin/node'), '/usr/bin/node');
  });
});
