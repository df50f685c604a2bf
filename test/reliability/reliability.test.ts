/**
 * Reliability and safety, with small counts so `npm test` stays quick; the full counts
 * and the figures table come from `npm run test:reliability -- --report`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildChildren } from './build';
import { concurrentTest } from './concurrent';
import { crashTest } from './crash';
import { closeSockets, unmountAll } from './hostile';
import { hasStrace, traceReset } from './strace';
import { hostileCli, hostileServer, vanishingRace } from './suite';

const FULL = process.env.HJ_RELIABILITY_FULL === '1';
let children: ReturnType<typeof buildChildren>;
before(() => (children = buildChildren()));
after(() => (closeSockets(), unmountAll()));

describe('crash consistency', () => {
  it(`survives SIGKILL during resets (${FULL ? 500 : 40} kills)`, async () => {
    const r = await crashTest(FULL ? 500 : 40, children.resetLoop);
    assert.equal(r.kills, FULL ? 500 : 40);
    assert.deepEqual(r.details, []);
    assert.equal(r.torn, 0);
    assert.ok(r.maxLeftoverTmp <= 1, `leftover temp files: ${r.maxLeftoverTmp}`);
  });

  it('fsyncs the temp file before the rename and the directory after it', () => {
    assert.ok(hasStrace, 'strace is not installed: apt-get install strace (npm test does it as root)');
    const t = traceReset();
    assert.ok(t.ok, t.problem);
  });

  it(`keeps every read decodable with concurrent writers (${FULL ? 10 : 2} s)`, async () => {
    const r = await concurrentTest(FULL ? 10_000 : 2_000, children.writerLoop);
    assert.ok(r.reads > 0 && r.writerIterations > 0);
    assert.deepEqual(r.details, []);
    assert.equal(r.undecodable, 0);
  });

  it('never throws or blocks on files vanishing or changing type mid-read', async () => {
    const r = await vanishingRace(FULL ? 2000 : 200);
    assert.deepEqual(r.details, []);
  });
});

describe('hostile files', () => {
  it('the CLI answers each promptly and specifically, and changes nothing', async () => {
    const r = await hostileCli();
    assert.deepEqual(r.details, []);
    assert.ok(r.tried >= 20);
  });

  it('the language server does too', async () => {
    const r = await hostileServer();
    assert.deepEqual(r.details, []);
  });
});
