import { createHash } from 'node:crypto';
import { z } from 'zod';
import { vkycStateSchema } from '../cashfree/schemas.js';
import type { WebhookEvent } from '../vkyc/types.js';

/**
 * What the bot takes from a VKYC webhook. Cashfree's documented `data` mirrors GET /vkyc field for field, so
 * it is parsed with the same schema: a pushed state reads exactly like a polled one. The customer's personal
 * link (`data.vkyc_link`) and anything else the schema does not name are dropped here.
 */
export type { WebhookEvent } from '../vkyc/types.js';

const text = z.string().trim().min(1).max(200).optional().catch(undefined);
const id = z.string().regex(/^[A-Za-z0-9._-]{1,50}$/).optional().catch(undefined);

/** Which verification an event is about, even when the rest of `data` is unreadable. */
const targetSchema = z
  .object({
    verification_id: id,
    reference_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
  })
  .catch({ verification_id: undefined, reference_id: undefined });

const eventSchema = z.object({
  event_type: z.string().trim().min(1).max(100),
  event_time: text,
  data: z.unknown(),
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
  const target = targetSchema.parse(data ?? {});
  const state = vkycStateSchema.safeParse(data);
  return {
    ok: true,
    event: {
      eventType: event_type.toUpperCase(),
      eventTime: Number.isNaN(time) ? undefined : time,
      verificationId: target.verification_id,
      referenceId: target.reference_id,
      // A state is only about the verification the event names.
      state: state.success && state.data.verificationId === target.verification_id ? state.data : undefined,
    },
  };
}

/**
 * Cashfree's events carry no id, so an event is known by what the bot read from it (never by the raw body,
 * which holds the customer's link). `delivery`: the same event twice; `content`: the same, whatever its
 * event_time, as when Cashfree stamps a redelivery anew.
 */
export function eventKeys(event: WebhookEvent): EventKeys {
  const { state } = event;
  const content = [
    event.eventType,
    event.verificationId ?? null,
    event.referenceId ?? null,
    state === undefined ? null : [state.status, state.subStatus, state.userId ?? null, state.linkExpiry ?? null, state.meetingSchedule ?? null, state.hasRecording],
  ];
  return { delivery: sha256([content, event.eventTime ?? null]), content: sha256(content) };
}

export interface EventKeys {
  delivery: string;
  content: string;
}

function sha256(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
