/**
 * Opening time, measured side by side in one run: double-click → decoded text drawn for
 * a journal, against double-click → text drawn for a plain text file of the same size
 * (the journal's own report as text), cold (the first open after the window loads) and
 * warm (again, after closing). Reported on the console and in <run>/open-times.json;
 * no assertion on time (benchmarks print ratios; tests do not time).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../codeServer';
import type { Scenario } from '../harness';
import { median, timeOpen } from '../openTime';

const WARM_RUNS = 5;

export const scenario: Scenario = {
  name: 'open-time',
  session: {},
  async run(ctx) {
    const { wb, page } = ctx;
    // A text file as long as the decoded view: the CLI prints the same report.
    const report = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'show', ctx.journalPath('kv'), '--raw'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    }).stdout;
    assert.ok(report.length > 500, 'the report');
    writeFileSync(join(ctx.workspace, 'services', 'kv-report.txt'), report);
    const journal = { path: 'services/kv/state.bin', text: 'started_at_unix_ms' };
    const text = { path: 'services/kv-report.txt', text: 'started_at_unix_ms' };
    const close = (): Promise<void> => wb.runCommand('View: Close All Editors');
    const cold = {
      journal: await ctx.step('cold: the first journal opened after the window loads', () =>
        timeOpen(wb, page, journal.path, journal.text),
      ),
      text: await ctx.step('cold: the first text file', async () => (await close(), timeOpen(wb, page, text.path, text.text))),
    };
    const warm = { journal: [] as number[], text: [] as number[] };
    await ctx.step(`warm: ${WARM_RUNS} opens of each, alternating`, async () => {
      for (let i = 0; i < WARM_RUNS; i++) {
        await close();
        warm.journal.push(await timeOpen(wb, page, journal.path, journal.text));
        await close();
        warm.text.push(await timeOpen(wb, page, text.path, text.text));
      }
    });
    const result = {
      coldJournalMs: Math.round(cold.journal),
      coldTextMs: Math.round(cold.text),
      warmJournalMs: Math.round(median(warm.journal)),
      warmTextMs: Math.round(median(warm.text)),
      warmRatio: Number((median(warm.journal) / median(warm.text)).toFixed(2)),
      coldRatio: Number((cold.journal / cold.text).toFixed(2)),
      warmJournalRunsMs: warm.journal.map(Math.round),
      warmTextRunsMs: warm.text.map(Math.round),
    };
    writeFileSync(join(ctx.runDir, 'open-times.json'), `${JSON.stringify(result, null, 2)}\n`);
    ctx.log(`open times: ${JSON.stringify(result)}`);
  },
};
