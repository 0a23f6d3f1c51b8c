/** Checks of webhook input, so a bad subscription is refused when made, not when an event fires. */
import { invalidArgument } from '../core/errors.js';

const EVENT_PATTERN = /^(\*|[a-z][a-z_]*\.(\*|[a-z][a-z_]*))$/;
export const MIN_SECRET_LENGTH = 16;

export function checkWebhookName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 256) {
    throw invalidArgument(`Webhook name must be a non-empty string of at most 256 characters, got ${JSON.stringify(name)}.`, { field: 'name' });
  }
  return name;
}

export function checkWebhookUrl(url: unknown): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    throw invalidArgument(`Webhook url ${JSON.stringify(url)} is not an absolute URL. Use e.g. 'https://ci.example.com/hooks/gyre'.`, { field: 'url' });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidArgument(`Webhook url must use http or https, got '${parsed.protocol}'.`, { field: 'url' });
  }
  if (parsed.username || parsed.password) {
    throw invalidArgument('Webhook url must not carry credentials: deliveries are authenticated by their HMAC signature.', { field: 'url' });
  }
  return parsed.toString();
}

/** `knownTypes`: the event types sources emit; a pattern that can never match is refused. */
export function checkEventPatterns(events: unknown, knownTypes: readonly string[]): string[] {
  if (!Array.isArray(events) || events.length === 0) {
    throw invalidArgument("Webhook events must be a non-empty list, e.g. ['model_version.created'] or ['*'].", { field: 'events' });
  }
  for (const e of events) {
    if (typeof e !== 'string' || !EVENT_PATTERN.test(e)) {
      throw invalidArgument(`Event pattern ${JSON.stringify(e)} is not valid: use 'entity.action', 'entity.*' or '*'.`, { field: 'events', pattern: e });
    }
    if (knownTypes.length && !knownTypes.some((t) => eventMatches(e, t))) {
      throw invalidArgument(`Event pattern '${e}' matches no event Gyre emits. Known events: ${knownTypes.join(', ')}.`, { field: 'events', pattern: e });
    }
  }
  return [...new Set(events as string[])];
}

export function checkSecret(secret: unknown): string {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw invalidArgument(`Webhook secret must be a string of at least ${MIN_SECRET_LENGTH} characters (or omit it and Gyre generates one).`, { field: 'secret' });
  }
  return secret;
}

export function checkStatus(status: unknown): 'ACTIVE' | 'DISABLED' {
  if (status !== 'ACTIVE' && status !== 'DISABLED') {
    throw invalidArgument(`Webhook status must be 'ACTIVE' or 'DISABLED', got ${JSON.stringify(status)}.`, { field: 'status' });
  }
  return status;
}

export function eventMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}
