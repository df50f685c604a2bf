/**
 * `npm run test:reliability [-- --report] [-- --kills N]`: the full reliability run (500
 * SIGKILLs, 10 s of concurrent writers, every hostile file through the CLI and the
 * server). Prints the figures table with --report; exits 1 when anything failed.
 */
import { buildChildren } from './build';
import { concurrentTest } from './concurrent';
import { crashTest } from './crash';
import { closeSockets, unmountAll } from './hostile';
import { hasStrace, traceReset } from './strace';
import { hostileCli, hostileServer, vanishingRace } from './suite';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const report = args.includes('--report');
  const killsArg = args.indexOf('--kills');
  const kills = killsArg >= 0 ? Number(args[killsArg + 1]) : 500;
  const children = buildChildren();
  const started = Date.now();
  const crash = await crashTest(kills, children.resetLoop);
  const trace = hasStrace ? traceReset() : undefined;
  const conc = await concurrentTest(10_000, children.writerLoop);
  const vanish = await vanishingRace(2000);
  const cli = await hostileCli();
  const server = await hostileServer();
  closeSockets();
  unmountAll();
  const rows: [string, string, boolean][] = [
    [
      'crash: SIGKILLs survived / torn files found',
      `${crash.kills} / ${crash.torn} (max leftover temp files: ${crash.maxLeftoverTmp})`,
      crash.torn === 0 && crash.maxLeftoverTmp <= 1,
    ],
    [
      'syscall order (strace): tmp fsync < rename < dir fsync',
      trace ? (trace.ok ? `ok: ${trace.steps.join(' -> ')}` : `FAILED: ${trace.problem}`) : 'not run (no strace)',
      trace?.ok ?? true,
    ],
    [
      'concurrent: writer iterations / reads / undecodable reads',
      `${conc.writerIterations} (${conc.writerFailures} refused busy) / ${conc.reads} / ${conc.undecodable}`,
      conc.undecodable === 0,
    ],
    ['vanishing files: reads / wrong answers', `${vanish.reads} / ${vanish.bad}`, vanish.bad === 0],
    [
      'hostile files, CLI: tried / hangs / unclear messages / files changed',
      `${cli.tried} / ${cli.hangs} / ${cli.unclear} / ${cli.changed}`,
      cli.hangs + cli.unclear + cli.changed === 0,
    ],
    [
      'hostile files, server: tried / hangs / unclear messages / files changed',
      `${server.tried} / ${server.hangs} / ${server.unclear} / ${server.changed}`,
      server.hangs + server.unclear + server.changed === 0,
    ],
  ];
  const failed = rows.filter((r) => !r[2]);
  if (report) {
    console.log('| check | result |\n| --- | --- |');
    for (const [k, v, ok] of rows) console.log(`| ${k} | ${ok ? '' : '**FAIL** '}${v} |`);
    const skipped = [...cli.skipped, ...server.skipped];
    if (skipped.length) console.log(`\nskipped: ${[...new Set(skipped)].join('; ')}`);
    console.log(`\n(${Math.round((Date.now() - started) / 1000)} s on ${process.platform}/${process.arch}, node ${process.version})`);
  }
  for (const d of [...crash.details, ...conc.details, ...vanish.details, ...cli.details, ...server.details]) console.error(`  ${d}`);
  console.log(`${rows.length - failed.length} passed, ${failed.length} failed`);
  process.exitCode = failed.length ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
