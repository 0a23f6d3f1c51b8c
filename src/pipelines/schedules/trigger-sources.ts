/**
 * Where event triggers read from. A source is an outbox of domain events read by id, the same
 * shape webhooks consume (src/webhooks/entities.ts EventSource). The registry's is wired; a
 * dataset-version source (data domain) and a monitoring-alert source (monitoring domain) plug in by
 * adding an entry to `Services.eventSources` under the names `data` and `monitoring` — nothing here
 * changes. `http` is the source with no outbox: the server's trigger route fires it directly.
 */
import type { DomainEvent, EventSource } from '../../webhooks/entities.js';

export type TriggerEvent = DomainEvent;
export type TriggerSource = EventSource;

/** The source name HTTP calls use (no outbox to poll). */
export const HTTP_SOURCE = 'http';

/** `model_version.created` matches itself, `model_alias.*` its entity, `*` everything. */
export function eventMatches(filter: { eventTypes?: string[]; model?: string }, event: TriggerEvent): boolean {
  if (filter.model && event.modelName !== filter.model) return false;
  const types = filter.eventTypes ?? ['*'];
  return types.some((t) => t === '*' || t === event.type || (t.endsWith('.*') && event.type.startsWith(t.slice(0, -1))));
}
