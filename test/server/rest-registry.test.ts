/** The SDK's remote mode: the same registry contract, through a real server over HTTP. */
import { registryStoreContract } from '../../src/registry/registry-store.contract.js';
import { RestClient } from '../../src/stores/rest/rest-client.js';
import { RestRegistryApi } from '../../src/stores/rest/rest-registry-api.js';
import { startTestServer } from '../../src/test-support/test-server.js';

registryStoreContract(
  'rest (native API over HTTP, SQLite behind it)',
  async () => {
    const server = await startTestServer();
    return { api: new RestRegistryApi(new RestClient(await server.listen())), cleanup: server.close };
  },
  { localGates: false },
);
