/**
 * `npm run simulate -- --dir DIR [--scenario happy|abort|seal-failure|crash-stale|illegal|all]
 *                      [--loop] [--step-ms 400] [--service NAME] [--encoding postcard|...]`
 *
 * Plays the reference supervisor's journal lifecycle against DIR/<service>/state.bin
 * (a thin CLI over test/support/simulator.ts). Ctrl-C stops between steps and kills the
 * stand-in processes; the journal is left as it is.
 */
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ENCODINGS, type Encoding } from '../shared/journal';
import { SCENARIOS, formatStep, isScenarioName, journalPathFor, runScenario, type ScenarioName } from '../test/support/simulator';

const USAGE = `usage: npm run simulate -- --dir DIR [--scenario ${SCENARIOS.join('|')}|all] [--loop] [--step-ms 400] [--service NAME] [--encoding ${ENCODINGS.join('|')}]`;

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
        'step-ms': { type: 'string', default: '400' },
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
  const stepMs = Number(values['step-ms']);
  if (!Number.isFinite(stepMs) || stepMs < 0) fail(`--step-ms must be a number of milliseconds, not ${values['step-ms']}`);
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
    `simulate: ${journalPathFor(dir, values.service)}: ${scenarios.join(', ')}${values.loop ? ' (looping)' : ''}, ${stepMs} ms per step`,
  );
  do {
    for (const name of scenarios) {
      if (stop.signal.aborted) break;
      await runScenario(dir, name, {
        stepMs,
        service: values.service,
        encoding,
        signal: stop.signal,
        onStep: (s) => console.log(formatStep(s)),
      });
      // A pause between handoffs, so a watcher sees where each one ended.
      await delay(stepMs, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } while (values.loop && !stop.signal.aborted);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

main().catch((e: unknown) => {
  console.error(`simulate: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
