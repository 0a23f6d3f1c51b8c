/** The SDK's remote mode: the same TrackingStore contract, through a real server over HTTP. */
import { trackingStoreContract } from '../../src/tracking/tracking-store.contract.js';
import { RestClient } from '../../src/stores/rest/rest-client.js';
import { RestTrackingStore } from '../../src/stores/rest/rest-tracking-store.js';
import { startTestServer } from '../../src/test-support/test-server.js';

trackingStoreContract('rest (native API over HTTP, SQLite behind it)', async () => {
  const server = await startTestServer();
  return { store: new RestTrackingStore(new RestClient(await server.listen())), cleanup: server.close };
});
