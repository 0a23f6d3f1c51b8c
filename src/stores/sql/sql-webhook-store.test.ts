import { describe, it } from 'vitest';
import { webhookStoreContract } from '../../webhooks/webhook-store.contract.js';
import { openSqlDatabase } from '../sql-database.js';
import { SqlWebhookStore } from './sql-webhook-store.js';
import { testBackends } from '../../test-support/test-databases.js';

for (const backend of testBackends) {
  if (!backend.available) {
    describe.skip(`WebhookStore contract: ${backend.name} (needs GYRE_TEST_DATABASE_URL)`, () => {
      it('runs the whole WebhookStore contract against this backend', () => {});
    });
    continue;
  }
  webhookStoreContract(backend.name, async () => {
    const database = backend.make();
    const sql = await openSqlDatabase(database.url, '/nonexistent');
    return {
      store: new SqlWebhookStore(sql.db),
      cleanup: async () => {
        await sql.close();
        await database.cleanup();
      },
    };
  });
}
