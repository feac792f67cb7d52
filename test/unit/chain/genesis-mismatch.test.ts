// A data directory whose chain starts with another genesis block (another network's, or one made before
// the genesis blocks changed) is refused with a sentence that says what to do, and left as it was.
import { describe, expect, it } from 'vitest';
import { Chain } from '../../../src/chain/chain.js';
import { NETWORKS } from '../../../src/core/params.js';
import { openStore } from '../../../src/node/level-store.js';

import { tempDir } from '../../support/chain-fixture.js';

describe('opening a store of another genesis', () => {
  it('refuses it, naming the cause and the way out', async () => {
    const dir = tempDir();
    try {
      const store = await openStore(dir.path);
      await Chain.open({ store, params: NETWORKS.regtest });
      await store.close();
      const again = await openStore(dir.path);
      try {
        await expect(Chain.open({ store: again, params: NETWORKS.dev })).rejects.toThrow(
          /does not start with this version's dev genesis block .*use another --data-dir/,
        );
        // Still the regtest chain it was.
        const chain = await Chain.open({ store: again, params: NETWORKS.regtest });
        expect(chain.genesis.hashHex).toBe(chain.tip.hashHex);
      } finally {
        await again.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
