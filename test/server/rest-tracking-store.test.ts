/** The SDK's remote mode: the same TrackingStore contract, through a real server over HTTP. */
import fs from 'node:fs';
import { trackingStoreContract } from '../../src/tracking/tracking-store.contract.js';
import { openServices } from '../../src/services.js';
import { buildServer } from '../../src/server/build-server.js';
import { RestClient } from '../../src/stores/rest/rest-client.js';
import { RestTrackingStore } from '../../src/stores/rest/rest-tracking-store.js';
import { tempDir } from '../../src/test-support/test-databases.js';

trackingStoreContract('rest (native API over HTTP, SQLite behind it)', async () => {
  const home = tempDir();
  const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  const app = await buildServer({ services });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    store: new RestTrackingStore(new RestClient(url)),
    cleanup: async () => {
      await app.close();
      await services.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
});
