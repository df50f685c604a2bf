/**
 * `npm run simulate -- --dir DIR [--scenario happy|abort|seal-failure|crash-stale|illegal|killed|all]
 *                      [--loop] [--step-ms N] [--service NAME] [--encoding postcard|...] [--log-file PATH]`
 *
 * Plays the reference supervisor's journal lifecycle against DIR/<service>/state.bin
 * (a thin CLI over test/support/simulator.ts): at the real supervisor's speed (a few
 * milliseconds per handoff), or slowed down for a demo with --step-ms. With --log-file
 * it appends the supervisor's log lines there, in its coloured `tracing` format.
 * Ctrl-C stops between steps and kills the stand-in processes; the journal is left as it is.
 */
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ENCODINGS, type Encoding } from '../shared/journal';
import { supervisorRunning } from '../test/support/simulatorLog';
import { fileLogSink } from '../test/support/tracingFormat';
import { SCENARIOS, formatStep, isScenarioName, journalPathFor, runScenario, type ScenarioName } from '../test/support/simulator';

const USAGE = `usage: npm run simulate -- --dir DIR [--scenario ${SCENARIOS.join('|')}|all] [--loop] [--step-ms N (slowed down; default real timing)] [--service NAME] [--encoding ${ENCODINGS.join('|')}] [--log-file PATH]`;

function fail(message: string): never {
  console.error(`simulate: ${message}\n${USAGE}`);
  process.exit(2);
}

interface Options {
  dir: string;
  scenarios: ScenarioName[];
  loop: boolean;
  stepMs: number | undefined;
  logFile: string | undefined;
  service: string;
  encoding: Encoding;
}

/** The command line as options; exits 2 with the usage on a mistake. */
function options(): Options | undefined {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        dir: { type: 'string' },
        scenario: { type: 'string', default: 'all' },
        loop: { type: 'boolean', default: false },
        'step-ms': { type: 'string' },
        'log-file': { type: 'string' },
        service: { type: 'string', default: 'live' },
        encoding: { type: 'string', default: 'postcard' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) return (console.log(USAGE), undefined);
  if (values.dir === undefined) fail('--dir is required');
  const stepMs = values['step-ms'] === undefined ? undefined : Number(values['step-ms']);
  if (stepMs !== undefined && (!Number.isFinite(stepMs) || stepMs < 0))
    fail(`--step-ms must be a number of milliseconds, not ${values['step-ms']}`);
  if (values.scenario !== 'all' && !isScenarioName(values.scenario)) fail(`unknown scenario ${values.scenario}`);
  if (!(ENCODINGS as readonly string[]).includes(values.encoding)) fail(`unknown encoding ${values.encoding}`);
  return {
    dir: resolve(values.dir),
    scenarios: values.scenario === 'all' ? [...SCENARIOS] : [values.scenario as ScenarioName],
    loop: values.loop,
    stepMs,
    logFile: values['log-file'],
    service: values.service,
    encoding: values.encoding as Encoding,
  };
}

async function play(o: Options, signal: AbortSignal): Promise<void> {
  const log = o.logFile === undefined ? undefined : fileLogSink(resolve(o.logFile));
  console.log(
    `simulate: ${journalPathFor(o.dir, o.service)}: ${o.scenarios.join(', ')}${o.loop ? ' (looping)' : ''}, ${o.stepMs === undefined ? 'real timing (1-2 ms per phase)' : `${o.stepMs} ms per step (slowed down for the demo)`}`,
  );
  log?.(supervisorRunning(`/usr/local/bin/${o.service}`, process.pid, join(o.dir, `${o.service}-trigger.sock`)));
  do {
    for (const name of o.scenarios) {
      if (signal.aborted) break;
      await runScenario(o.dir, name, {
        ...(o.stepMs !== undefined ? { stepMs: o.stepMs } : {}),
        ...(log ? { log } : {}),
        service: o.service,
        encoding: o.encoding,
        signal,
        onStep: (s) => console.log(formatStep(s)),
      });
      // A pause between handoffs, so a watcher sees where each one ended.
      await delay(o.stepMs ?? 500, undefined, { signal }).catch(() => undefined);
    }
  } while (o.loop && !signal.aborted);
}

async function main(): Promise<void> {
  const o = options();
  if (!o) return;
  const stop = new AbortController();
  const onSignal = (): void => {
    if (!stop.signal.aborted) console.log('simulate: stopping');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await play(o, stop.signal);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

main().catch((e: unknown) => {
  console.error(`simulate: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
