/**
 * User names through NSS (`getent passwd`, shared/util/node/users.ts): real look-ups on this
 * host, the parse of getent's line, the cache, and no reader of /etc/passwd left in the product.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { passwdName, uidWords, userName, userNameOf, userNameOfSync } from '../../shared/util/node';

const ROOT = join(__dirname, '..', '..');

describe('user names through NSS', () => {
  it('finds root and nobody, and no name for a uid nobody has', async () => {
    assert.equal(await userNameOf(0), 'root');
    assert.equal(userNameOfSync(65534), 'nobody');
    assert.equal(await userNameOf(4_242_424), undefined);
    assert.equal(userName(4_242_424), 'uid 4242424');
    assert.equal(await userNameOf(-1), undefined);
    assert.equal(userNameOfSync(2 ** 32), undefined);
  });

  it("reads getent's line, only for the uid asked", () => {
    assert.equal(passwdName('alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n', 1000), 'alice');
    assert.equal(passwdName('alice:x:1000:1000::/home/alice:/bin/bash\n', 1001), undefined);
    assert.equal(passwdName(':x:1000:1000::/:/bin/sh\n', 1000), undefined);
    assert.equal(passwdName('', 0), undefined);
    assert.equal(uidWords(1000, 'alice'), 'alice (uid 1000)');
    assert.equal(uidWords(1003, undefined), 'uid 1003 (no user name)');
  });

  it('no product code reads /etc/passwd (LDAP and sssd users are not in it)', () => {
    const files = ['shared', 'server/src', 'cli', 'client/src'].flatMap((d) =>
      readdirSync(join(ROOT, d), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(d, f)),
    );
    const readers = files.filter((f) =>
      /readFileSync\(['"]\/etc\/passwd|open\(['"]\/etc\/passwd/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    assert.deepEqual(readers, []);
  });
});
