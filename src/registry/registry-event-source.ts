/** The registry's outbox as a webhook event source. */
import type { EventSource, DomainEvent } from '../webhooks/entities.js';
import type { RegistryService } from './registry-service.js';
import { REGISTRY_EVENT_TYPES } from './registry-service.js';

export function registryEventSource(registry: RegistryService): EventSource {
  return {
    eventTypes: REGISTRY_EVENT_TYPES,
    async listEvents(afterId: number, limit: number): Promise<DomainEvent[]> {
      return (await registry.listEvents(afterId, limit)).map((e) => ({
        id: e.id,
        type: e.type,
        modelName: e.modelName,
        payload: { ...(e.payload as object), ...(e.version !== null ? { version: e.version } : {}) },
        user: e.user,
        createdAt: e.createdAt,
      }));
    },
  };
}
