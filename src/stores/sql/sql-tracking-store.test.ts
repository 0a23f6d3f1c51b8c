import { describe, it } from 'vitest';
import { trackingStoreContract } from '../../tracking/tracking-store.contract.js';
import { openTrackingStore } from '../open-stores.js';
import { testBackends } from '../../test-support/test-databases.js';

for (const backend of testBackends) {
  if (!backend.available) {
    // A named skipped test, so a plain `npm test` says what did not run and why.
    describe.skip(`TrackingStore contract: ${backend.name} (needs GYRE_TEST_DATABASE_URL)`, () => {
      it('runs the whole TrackingStore contract against this backend', () => {});
    });
    continue;
  }
  trackingStoreContract(backend.name, async () => {
    const database = backend.make();
    const store = await openTrackingStore(database.url, '/nonexistent');
    return { store, cleanup: database.cleanup };
  });
}
