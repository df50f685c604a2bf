/**
 * Hostile inputs of the second audit, items 2, 4 and 7: the supervisor's log is written
 * by daemons too. One `INFO {{{…` line must not freeze `log` or the language server,
 * 8 MiB of newlines must not fill the memory, and a daemon's line in the supervisor's
 * tracing format must not pass for the supervisor's. Run against the built CLI, the
 * server in process, the real journalctl on a journald file made by
 * systemd-journal-remote, and the parser itself (work per byte, as a ratio).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { fc } from '../support/properties';
import { parseTracingLine } from '../../shared/supervisorLog';
import { entriesFromLog, writeJournalFile } from '../support/journalExport';
import { TestClient, testDeps } from '../support/lspClient';
import { cli, dir, GUARD, journalIn, NOW, root } from '../support/hostile';
import { CLI } from '../support/cliProcess';

const LOGS = resolve(__dirname, '../fixtures/logs');
const KILLED_LOG = readFileSync(join(LOGS, '04-supervisor-killed-mid-handoff.log'), 'utf8');
const LEFT_BEHIND = join(LOGS, '04-left-behind-state.bin');
const KILLED_ID = 'c300947f-3407-4696-a2bb-07869cd924de';
const SUPERVISOR_PID = 7222;
const DAEMON_PID = 7271;
/** The audit's line: 120 KB of `{` after the level. */
const BRACES = `INFO ${'{'.repeat(120_000 - 5)}`;
/** A daemon's stderr line in the supervisor's own coloured tracing format, claiming the stuck handoff committed. */
const FORGED = `\x1b[2m2026-11-28T07:43:51.000000Z\x1b[0m \x1b[32m INFO\x1b[0m \x1b[2mhandoff.commit\x1b[0m\x1b[2m:\x1b[0m commit \x1b[3mhandoff_id\x1b[0m\x1b[2m=\x1b[0m${KILLED_ID} \x1b[3mtotal_seconds\x1b[0m\x1b[2m=\x1b[0m0.02`;

/** The fastest of `runs` timings of `f`, in ms (the least disturbed by other work on the machine). */
function fastest(f: () => void, runs = 3): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    f();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
  }
  return best;
}

/** The killed supervisor's log with the forged line where a daemon wrote it (during the 4 s seal). */
function withForgedLine(): string {
  const lines = KILLED_LOG.split('\n');
  const seal = lines.findIndex((l) => l.includes('handoff.seal'));
  lines.splice(seal + 1, 0, FORGED);
  return lines.join('\n');
}

describe('2. one log line cannot freeze the log reader', () => {
  it('the 120 KB `INFO {{{…` line parses in time proportional to its length', GUARD, () => {
    // A ratio within one run, never an absolute time: the same length of plain text.
    const plain = `INFO ${'a'.repeat(120_000 - 5)}`;
    const hostile = fastest(() => parseTracingLine(BRACES));
    const normal = fastest(() => parseTracingLine(plain));
    assert.ok(hostile / Math.max(normal, 0.05) < 40, `{{{ line took ${hostile.toFixed(1)} ms, plain ${normal.toFixed(1)} ms`);
    assert.equal(parseTracingLine(BRACES)?.level, 'INFO');
  });

  it(
    'property: adversarial lines (braces, colons, spaces, =, quotes, backslashes, ANSI) cost work proportional to their length',
    {
      timeout: 120_000,
    },
    () => {
      const atom = fc.constantFrom(
        '{',
        '}',
        ':',
        ' ',
        '=',
        '"',
        '\\',
        'a',
        '.',
        '::',
        'k=',
        '\x1b[3m',
        '\x1b[0m',
        '\x1b[',
        '\x1b]0;',
        '}:',
        ': ',
      );
      const head = fc.constantFrom('INFO ', '2026-11-28T07:43:48.014038Z  WARN ', 'ERROR x{', '');
      fc.assert(
        fc.property(head, fc.array(atom, { minLength: 1, maxLength: 8 }), (h, atoms) => {
          const unit = atoms.join('');
          const of = (n: number): string => h + unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
          // 16 times the bytes: linear work is ~16 times the time, quadratic ~256 times.
          const short = of(8192);
          const long = of(131_072);
          // Noise only ever adds time: the least of a few measurements is the work's own ratio.
          let ratio = Infinity;
          for (let i = 0; i < 4 && ratio >= 64; i++)
            ratio = Math.min(
              ratio,
              fastest(() => parseTracingLine(long)) /
                Math.max(
                  fastest(() => parseTracingLine(short)),
                  0.02,
                ),
            );
          assert.ok(ratio < 64, `${JSON.stringify(unit)}: 16x the bytes took ${ratio.toFixed(1)}x the time`);
        }),
        { numRuns: 60 },
      );
    },
  );

  it('`handoff-journal log` on a file holding it answers, and says the line was cut', GUARD, () => {
    const log = join(dir('braces'), 'kv.log');
    writeFileSync(log, `${BRACES}\n`);
    const r = cli('log', '--id', KILLED_ID, '--log-file', log);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /has 1 lines but none with handoff_id=/);
    assert.match(r.stderr, /cut short: 1 line was longer than 65,536 characters/);
  });

  it('a huge log view read through logFiles does not hold up an unrelated decoded view', { timeout: 120_000 }, async () => {
    const d = dir('slow-view/kv');
    const journal = journalIn(d);
    const other = journalIn(dir('slow-view/other'));
    const log = join(root, 'slow-view', 'kv.log');
    // 200,000 lines (the cap) of braces and colons, the 120 KB line first.
    const line = `INFO ${'{a: '.repeat(30)}`;
    writeFileSync(log, `${BRACES}\n${`${line}\n`.repeat(199_999)}`);
    const c = TestClient.inProcess(testDeps(NOW));
    try {
      await c.initialize({ trusted: true, logFiles: { kv: log }, storagePath: join(root, 'storage') });
      const order: string[] = [];
      const logView = c.content(`handoff-journal-log:${pathToFileURL(journal).pathname}`).then((v) => (order.push('log'), v));
      const decoded = c.content(`handoff-journal:${pathToFileURL(other).pathname}`).then((v) => (order.push('decoded'), v));
      const [lv, dv] = await Promise.all([logView, decoded]);
      assert.deepEqual(order, ['decoded', 'log'], 'the decoded view answered while the log was still being read');
      assert.match(dv.text, /phase\s+Sealing/);
      assert.match(lv.text, /No log lines for this handoff/);
      assert.match(lv.text, /cut short: 1 line was longer than 65,536 characters/);
    } finally {
      await c.close();
    }
  });
});

describe('4. bounded memory for a log of nothing but newlines', () => {
  it('8 MiB of newlines: `log` stays under 256 MB of memory and says it cut the log short', { timeout: 60_000 }, () => {
    const log = join(dir('newlines'), 'kv.log');
    writeFileSync(log, '\n'.repeat(8 * 1024 * 1024));
    // /usr/bin/time -v reports the child's peak resident set (a memory bound, not a timing).
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, CLI, 'log', '--id', KILLED_ID, '--log-file', log], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 55_000,
    });
    assert.equal(r.status, 6, r.stderr);
    const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
    assert.ok(kb > 0 && kb < 256 * 1024, `peak RSS ${kb} kB`);
    assert.match(r.stderr, /cut short: .*kv\.log has 8188608 more lines than the 200,000 read at most; only the last 200,000 were read/);
  });
});

describe('7. a daemon line in the tracing format does not pass for the supervisor', () => {
  it('journald: a line of another pid in the unit is daemon output, and the stuck handoff is not "committed"', GUARD, () => {
    const journal = join(dir('forged-journald'), 'kv.journal');
    const entries = entriesFromLog(KILLED_LOG, SUPERVISOR_PID);
    const at = entries.find((e) => e.message.includes('handoff.seal'))?.realtimeUs as bigint;
    entries.push({ message: FORGED, realtimeUs: at + 1000n, pid: DAEMON_PID, unit: 'handoff-kv.service', identifier: 'kv-daemon' });
    writeJournalFile(journal, entries);
    const r = cli('log', LEFT_BEHIND, '--journal-file', journal, '--json');
    assert.equal(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout) as { outcome: { kind: string }; lines: { role: string; text: string }[]; contradiction: null };
    assert.equal(o.outcome.kind, 'unknown');
    const forged = o.lines.find((l) => l.text.includes('handoff.commit'));
    assert.equal(forged?.role, 'daemon-output');
    assert.equal(o.contradiction, null);
  });

  it(
    'a log file cannot tell: the view says daemon output shares the stream, and the journal on disk contradicts "committed"',
    GUARD,
    async () => {
      const d = dir('forged-file/kv');
      copyFileSync(LEFT_BEHIND, join(d, 'state.bin'));
      const log = join(root, 'forged-file', 'kv.log');
      writeFileSync(log, withForgedLine());
      const r = cli('log', join(d, 'state.bin'), '--log-file', log);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^note {8}daemon output shares this stream and nothing in it tells who wrote a line/m);
      assert.match(r.stdout, /^outcome {5}committed/m);
      assert.match(r.stdout, /^! the journal on disk contradicts this: it still holds handoff c300947f-.* at Draining/m);
      const c = TestClient.inProcess(testDeps(NOW));
      try {
        await c.initialize({ trusted: true, logFiles: { kv: log }, storagePath: join(root, 'storage') });
        const v = await c.content(`handoff-journal-log:${pathToFileURL(join(d, 'state.bin')).pathname}`);
        assert.match(v.text, /^note {8}daemon output shares this stream/m);
        assert.match(v.text, /^! the journal on disk contradicts this/m);
      } finally {
        await c.close();
      }
    },
  );
});
