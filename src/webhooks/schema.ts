import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { WebhookEvent } from '../vkyc/types.js';

/** What the bot takes from a VKYC webhook. Cashfree does not document `data`, so every field is optional. */
export type { WebhookEvent } from '../vkyc/types.js';

const text = z.string().trim().min(1).max(200).optional().catch(undefined);
const id = z.string().regex(/^[A-Za-z0-9._-]{1,50}$/).optional().catch(undefined);
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,80}$/)
  .transform((value) => value.toUpperCase())
  .optional()
  .catch(undefined);

const dataSchema = z
  .object({
    verification_id: id,
    reference_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
    status: code,
    sub_status: code,
  })
  .catch({ verification_id: undefined, reference_id: undefined, status: undefined, sub_status: undefined });

const eventSchema = z.object({
  event_type: z.string().trim().min(1).max(100),
  event_time: text,
  data: dataSchema.optional(),
});

export type ParsedWebhook = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

/** Parses a delivery's JSON; loose where Cashfree is vague, strict only on `event_type`. */
export function parseWebhook(rawBody: Buffer): ParsedWebhook {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'no event_type' };
  const { event_type, event_time, data } = parsed.data;
  const time = event_time === undefined ? Number.NaN : Date.parse(event_time);
  return {
    ok: true,
    event: {
      eventType: event_type.toUpperCase(),
      eventTime: Number.isNaN(time) ? undefined : time,
      verificationId: data?.verification_id,
      referenceId: data?.reference_id,
      status: data?.status,
      subStatus: data?.sub_status,
    },
  };
}

/** The same delivery twice (Cashfree retries) has the same body: its hash makes the second a no-op. */
export function deliveryKey(rawBody: Buffer): string {
  return createHash('sha256').update(rawBody).digest('hex');
}
