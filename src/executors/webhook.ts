import { RosterError } from '../model/errors.js';
import type { WebhookConfig } from '../lifecycle/config.js';
import { CLOUDEVENTS_CONTENT_TYPE } from '../lifecycle/cloudevents.js';
import type { OutboxItem } from '../lifecycle/port.js';
import type { Deliverer, DeliveryOutcome } from './deliverer.js';
import { sign, SIGNATURE_HEADER } from './signature.js';

/** Context attributes repeated as `ce-` headers (CloudEvents HTTP binding 1.0, §3.2.3). */
const HEADER_ATTRIBUTES = ['id', 'source', 'type', 'specversion', 'subject', 'time'] as const;

/**
 * Percent-encodes a header value as the HTTP binding asks (§3.1.3.2): space, double quote,
 * percent and anything outside printable ASCII.
 */
export function encodeHeaderValue(v: string): string {
  const hex = (b: number): string => `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return [...v]
    .map((ch) => (/^[\x21-\x7e]$/.test(ch) && ch !== '"' && ch !== '%'
      ? ch
      : [...Buffer.from(ch, 'utf8')].map(hex).join('')))
    .join('');
}

/** 408 and 429 ask to come back later; other 4xx answers will not change on a retry. */
function isRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * Delivers outbox items to one webhook as CloudEvents 1.0 in structured mode, signed with
 * HMAC-SHA256 over the exact body, with the idempotency key in `Idempotency-Key`.
 * The secret is read from the environment variable the configuration names.
 */
export function webhookDeliverer(
  config: WebhookConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Deliverer {
  const secret = env[config.secretEnv];
  if (!secret) {
    throw new RosterError(
      'CONFIG',
      `webhook ${config.name}: environment variable ${config.secretEnv} ` +
        '(its HMAC secret) is not set',
    );
  }
  return {
    target: `webhook:${config.name}`,
    deliver: (item) => post(config, secret, item),
  };
}

async function post(
  config: WebhookConfig,
  secret: string,
  item: OutboxItem,
): Promise<DeliveryOutcome> {
  const headers: Record<string, string> = {
    'content-type': CLOUDEVENTS_CONTENT_TYPE,
    'idempotency-key': item.idempotencyKey,
    [SIGNATURE_HEADER.toLowerCase()]: sign(item.body, secret),
    'user-agent': 'roster',
  };
  const event = JSON.parse(item.body) as Record<string, unknown>;
  for (const a of HEADER_ATTRIBUTES) {
    if (typeof event[a] === 'string') headers[`ce-${a}`] = encodeHeaderValue(event[a]);
  }
  try {
    const res = await fetch(config.url, {
      method: 'POST',
      headers,
      body: item.body,
      signal: AbortSignal.timeout(config.timeoutSeconds * 1000),
      redirect: 'error',
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true, detail: `HTTP ${res.status}` };
    // The URL may carry a token in its query: messages name the hook, never the URL.
    return { ok: false, retry: isRetryable(res.status), error: `HTTP ${res.status}` };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const why = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : message;
    return { ok: false, retry: true, error: `webhook ${config.name}: ${why}` };
  }
}
