/** What users do with webhooks, the same locally (WebhookService) and remotely (RestWebhookApi). */
import type { WebhookService } from './webhook-service.js';

export type WebhookApi = Pick<WebhookService, 'create' | 'get' | 'list' | 'update' | 'delete' | 'deliveries' | 'attempts' | 'test'>;
