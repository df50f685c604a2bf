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

async function main(): Promise<void> {
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
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.dir === undefined) fail('--dir is required');
  const stepMs = values['step-ms'] === undefined ? undefined : Number(values['step-ms']);
  if (stepMs !== undefined && (!Number.isFinite(stepMs) || stepMs < 0))
    fail(`--step-ms must be a number of milliseconds, not ${values['step-ms']}`);
  const log = values['log-file'] === undefined ? undefined : fileLogSink(resolve(values['log-file']));
  const scenarios: ScenarioName[] = values.scenario === 'all' ? [...SCENARIOS] : [];
  if (values.scenario !== 'all') {
    if (!isScenarioName(values.scenario)) fail(`unknown scenario ${values.scenario}`);
    scenarios.push(values.scenario);
  }
  if (!(ENCODINGS as readonly string[]).includes(values.encoding)) fail(`unknown encoding ${values.encoding}`);
  const encoding = values.encoding as Encoding;
  const dir = resolve(values.dir);

  const stop = new AbortController();
  const onSignal = (): void => {
    if (!stop.signal.aborted) console.log('simulate: stopping');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  console.log(
    `simulate: ${journalPathFor(dir, values.service)}: ${scenarios.join(', ')}${values.loop ? ' (looping)' : ''}, ${stepMs === undefined ? 'real timing (1-2 ms per phase)' : `${stepMs} ms per step (slowed down for the demo)`}`,
  );
  log?.(supervisorRunning(`/usr/local/bin/${values.service}`, process.pid, join(dir, `${values.service}-trigger.sock`)));
  do {
    for (const name of scenarios) {
      if (stop.signal.aborted) break;
      await runScenario(dir, name, {
        ...(stepMs !== undefined ? { stepMs } : {}),
        ...(log ? { log } : {}),
        service: values.service,
        encoding,
        signal: stop.signal,
        onStep: (s) => console.log(formatStep(s)),
      });
      // A pause between handoffs, so a watcher sees where each one ended.
      await delay(stepMs ?? 500, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } while (values.loop && !stop.signal.aborted);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

main().catch((e: unknown) => {
  console.error(`simulate: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
