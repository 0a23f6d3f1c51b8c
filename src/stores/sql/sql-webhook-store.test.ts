import { webhookStoreContract } from '../../webhooks/webhook-store.contract.js';
import { runContractOnSqlBackends } from '../../test-support/sql-contract.js';
import { SqlWebhookStore } from './sql-webhook-store.js';

runContractOnSqlBackends('WebhookStore', webhookStoreContract, (sql) => new SqlWebhookStore(sql.db));
