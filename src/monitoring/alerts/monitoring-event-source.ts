/** The monitoring outbox as a webhook event source: `alert.raised`, `alert.resolved`, payload the alert. */
import type { DomainEvent, EventSource } from '../../webhooks/entities.js';
import type { MonitoringStore } from '../monitoring-store.js';
import { MONITORING_EVENT_TYPES } from '../monitors/entities.js';

export function monitoringEventSource(store: MonitoringStore): EventSource {
  return {
    eventTypes: MONITORING_EVENT_TYPES,
    async listEvents(afterId: number, limit: number): Promise<DomainEvent[]> {
      return (await store.listEvents(afterId, limit)).map((e) => ({ id: e.id, type: e.type, modelName: null, payload: e.alert, user: null, createdAt: e.createdAt }));
    },
  };
}
