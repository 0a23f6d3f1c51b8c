/** The webhook API over Gyre's native REST endpoints: the SDK's and CLI's remote mode. */
import type { RestClient } from './rest-client.js';
import type { WebhookApi } from '../../webhooks/webhook-api.js';
import type { CreateWebhookInput, CreatedWebhook, DeliveryAttempt, UpdateWebhookInput, Webhook, WebhookDelivery } from '../../webhooks/entities.js';
import type { SendResult } from '../../webhooks/send-signed.js';

const seg = encodeURIComponent;

export class RestWebhookApi implements WebhookApi {
  constructor(private readonly client: RestClient) {}

  create(input: CreateWebhookInput): Promise<CreatedWebhook> {
    return this.client.json('POST', '/webhooks', input);
  }
  get(id: string): Promise<Webhook> {
    return this.client.json('GET', `/webhooks/${seg(id)}`);
  }
  async list(): Promise<Webhook[]> {
    return (await this.client.json<{ webhooks: Webhook[] }>('GET', '/webhooks')).webhooks;
  }
  update(id: string, input: UpdateWebhookInput): Promise<Webhook> {
    return this.client.json('PATCH', `/webhooks/${seg(id)}`, input);
  }
  delete(id: string): Promise<void> {
    return this.client.json('DELETE', `/webhooks/${seg(id)}`);
  }
  async deliveries(webhookId: string, limit = 100): Promise<WebhookDelivery[]> {
    return (await this.client.json<{ deliveries: WebhookDelivery[] }>('GET', `/webhooks/${seg(webhookId)}/deliveries`, undefined, { limit })).deliveries;
  }
  async attempts(deliveryId: string): Promise<DeliveryAttempt[]> {
    return (await this.client.json<{ attempts: DeliveryAttempt[] }>('GET', `/webhook-deliveries/${seg(deliveryId)}/attempts`)).attempts;
  }
  test(id: string): Promise<SendResult> {
    return this.client.json('POST', `/webhooks/${seg(id)}/test`, {});
  }
}
