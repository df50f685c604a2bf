/**
 * fast-check as every property test uses it (import `fc` from here, not from 'fast-check'):
 * - a fixed seed, so that the run on CI is the run a developer reproduces; HJ_FC_SEED=N
 *   picks another seed, HJ_FC_SEED=random a new one per run (printed when it fails);
 * - shrinking bounded in time: a failure is reported within two minutes, not after
 *   hundreds of thousands of shrinks; a run cut short by the limit fails.
 */
import fc from 'fast-check';

const SEED = 20_261_203;
const TIME_LIMIT_MS = 120_000;

const wanted = process.env.HJ_FC_SEED;
const seed = wanted === 'random' ? undefined : wanted !== undefined && /^-?\d{1,10}$/.test(wanted) ? Number(wanted) : SEED;

fc.configureGlobal({
  ...(seed !== undefined ? { seed } : {}),
  interruptAfterTimeLimit: TIME_LIMIT_MS,
  markInterruptAsFailure: true,
});

export { fc };
