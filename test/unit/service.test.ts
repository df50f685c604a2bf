/** One service name for journals and supervisor configs (shared/supervisor/service.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serviceName } from '../../shared/supervisor';

describe('serviceName', () => {
  it('names a journal by its folder, as the supervisor lays them out (<service>/state.bin)', () => {
    assert.equal(serviceName({ journal: '/var/lib/beyond/handoff/kv/state.bin' }), 'kv');
    assert.equal(serviceName({ journal: '/srv/db/journal.bin', config: '/etc/handoff/other.toml' }), 'db');
    assert.equal(serviceName({ journal: 'kv/state.bin' }), 'kv');
  });

  it('names a config without a journal (journaling off, or unreadable) by its file name', () => {
    assert.equal(serviceName({ config: '/etc/handoff/web.toml' }), 'web');
    assert.equal(serviceName({ config: '/etc/beyond/kv/handoff.conf' }), 'handoff.conf');
    assert.equal(serviceName({ journal: '/state.bin', config: '/etc/handoff/root.toml' }), 'root');
  });

  it('falls back to the journal name when there is no folder and no config', () => {
    assert.equal(serviceName({ journal: '/state.bin' }), 'state.bin');
    assert.equal(serviceName({ journal: 'state.bin' }), 'state.bin');
    assert.equal(serviceName({ journal: '/' }), '/');
  });
});
