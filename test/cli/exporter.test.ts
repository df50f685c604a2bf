/**
 * The exporter (the bundled CLI as a process) following journald for real: a journald
 * file written live by systemd-journal-remote, read with `journalctl --follow`. Handoffs
 * in the supervisor's real log format arrive while it runs, while it is stopped
 * (SIGTERM: it saved its state) and after it crashed (SIGKILL: it re-reads from its last
 * save): its counters always equal the handoffs in the log, never a recount or a gap,
 * and its first answer after a restart is already complete. `/` is a small page.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tmp } from '../support/cliProcess';
import { startExporter, scrapeValue, type Exporter } from '../support/exporterProcess';
import { writeFakeConfig } from '../support/fakeSupervisor';
import { generateHandoffs, journalEntries, type Plan } from '../support/handoffLogs';
import { JOURNAL_REMOTE } from '../support/journalExport';
import { startLiveJournal } from '../support/liveJournal';
import { getText, poll } from '../support/prometheus';

const PLANS: Plan[] = ['commit', 'commit', 'abort', 'commit', 'seal-failure', 'commit', 'killed', 'commit'];

describe('exporter following a live journald file', { skip: JOURNAL_REMOTE ? false : 'systemd-journal-remote is not installed' }, () => {
  const dir = tmp('hj-exporter-');
  const paths = writeFakeConfig(dir, 'kv');
  const file = join(dir, 'live.journal');
  const { lines, truths } = generateHandoffs({
    n: 48,
    seed: 7,
    startMs: Date.now(),
    plan: (i) => PLANS[i % PLANS.length] as Plan,
    trigger: paths.trigger,
  });
  const entries = journalEntries(lines, 4343, 'handoff-kv.service');
  /** The entries up to the end of handoff `n` (exclusive), from entry `from`. */
  const upTo = (n: number): number =>
    n >= truths.length ? entries.length : entries.findIndex((e) => e.message.includes(truths[n]?.id as string));
  const journal = startLiveJournal(file);
  const args = [paths.config, '--journal-file', file, '--state-dir', join(dir, 'state')];
  let exporter: Exporter | undefined;
  after(async () => {
    await exporter?.stop('SIGKILL');
    await journal.close();
  });

  const counted = (e: Exporter): Promise<number | undefined> => scrapeValue(e, 'handoff_handoffs_total{service="kv"}');
  const failed = (n: number): number => truths.slice(0, n).filter((t) => t.plan !== 'commit').length;

  it('starts at the log end, then counts each handoff as it is logged', async () => {
    await journal.write(entries.slice(0, 1));
    exporter = await startExporter(args);
    assert.equal(await counted(exporter), 0);
    await journal.write(entries.slice(1, upTo(16)));
    const e = exporter;
    await poll(
      () => counted(e),
      '16 handoffs counted',
      20_000,
      (v) => v === 16,
    );
    assert.equal(await scrapeValue(e, 'handoff_failures_total{service="kv"}'), failed(16));
    assert.equal(await scrapeValue(e, 'handoff_rolled_back_total{service="kv"}'), 2);
    assert.equal(await scrapeValue(e, 'handoff_seal_failures_total{service="kv"}'), 2);
    assert.equal(await scrapeValue(e, 'handoff_journal_log_readable{service="kv"}'), 1);
  });

  it('stopped (SIGTERM) while handoffs run: on restart it has them all before it answers', async () => {
    assert.equal(await exporter?.stop('SIGTERM'), 0);
    await journal.write(entries.slice(upTo(16), upTo(32)));
    exporter = await startExporter(args);
    assert.equal(await counted(exporter), 32, exporter.stderr());
    assert.equal(await scrapeValue(exporter, 'handoff_failures_total{service="kv"}'), failed(32));
  });

  it('killed (SIGKILL) after counting: it reads again from its last save, into those totals: no double count', async () => {
    await journal.write(entries.slice(upTo(32), upTo(40)));
    const e = exporter as Exporter;
    await poll(
      () => counted(e),
      '40 handoffs counted',
      20_000,
      (v) => v === 40,
    );
    await e.stop('SIGKILL');
    await journal.write(entries.slice(upTo(40)));
    exporter = await startExporter(args);
    assert.equal(await counted(exporter), 48, exporter.stderr());
    assert.equal(await scrapeValue(exporter, 'handoff_failures_total{service="kv"}'), failed(48));
    assert.equal(await scrapeValue(exporter, 'handoff_journal_log_cursor_lost_total{service="kv"}'), 0);
  });

  it('/ is a small page linking /metrics; other paths and methods are refused', async () => {
    const e = exporter as Exporter;
    const page = await getText(`${e.url}/`);
    assert.match(page, /<a href="\/metrics">\/metrics<\/a>/);
    assert.match(page, /<li>kv<\/li>/);
    assert.equal((await fetch(`${e.url}/nope`)).status, 404);
    assert.equal((await fetch(`${e.url}/metrics`, { method: 'POST' })).status, 405);
  });
});
