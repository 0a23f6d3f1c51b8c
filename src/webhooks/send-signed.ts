/** One signed POST of a delivery body: the only place Gyre talks to webhook receivers. */
import { HEADER_DELIVERY_ID, HEADER_EVENT, HEADER_SIGNATURE, HEADER_TIMESTAMP, signDelivery } from './signing.js';
import { GYRE_VERSION } from '../core/version.js';

export interface SendInput {
  url: string;
  secret: string;
  deliveryId: string;
  eventType: string;
  body: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface SendResult {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

const MAX_ERROR_TEXT = 500;

export async function sendSigned(input: SendInput): Promise<SendResult> {
  const started = performance.now();
  const timestamp = Math.floor(Date.now() / 1000);
  try {
    const res = await (input.fetch ?? fetch)(input.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': `Gyre-Webhooks/${GYRE_VERSION}`,
        [HEADER_DELIVERY_ID]: input.deliveryId,
        [HEADER_TIMESTAMP]: String(timestamp),
        [HEADER_EVENT]: input.eventType,
        [HEADER_SIGNATURE]: signDelivery(input.secret, input.deliveryId, timestamp, input.body),
      },
      body: input.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(input.timeoutMs),
    });
    // Read (a bounded part of) the body so the connection is released and failures say why.
    const text = res.ok ? '' : (await res.text().catch(() => '')).slice(0, MAX_ERROR_TEXT);
    if (res.ok) await res.body?.cancel().catch(() => {});
    return {
      ok: res.status >= 200 && res.status < 300,
      responseStatus: res.status,
      error: res.ok ? null : `receiver answered ${res.status}${text ? `: ${text}` : ''}`,
      durationMs: performance.now() - started,
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${input.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, responseStatus: null, error: `delivery failed: ${reason}`, durationMs: performance.now() - started };
  }
}
