import { createHmac } from 'node:crypto';
import type { VkycStatusBody } from './cashfree-verifications.js';

/** A webhook the simulator sent, and how the bot answered it. */
export interface SentWebhook {
  body: string;
  headers: Record<string, string>;
  status: number;
  answer: string;
  at: number;
}

export interface WebhookOptions {
  /** Replaces the computed signature; null sends none. */
  signature?: string | null;
  /** ms since the epoch, as Cashfree sends it; default now. */
  timestamp?: number;
  /** x-webhook-attempt; default 1. */
  attempt?: number;
  /** Send here instead of the configured URL. */
  url?: string;
}

/** Cashfree's VKYC webhook events, by the sub-status that causes them (steps without one send nothing, as in production). */
const EVENT_FOR_SUB_STATUS: Record<string, string> = {
  LINK_GENERATED: 'VKYC_USER_LINK_GENERATED',
  LINK_EXPIRED: 'VKYC_USER_LINK_EXPIRED',
  AADHAAR_VERIFICATION_SUCCESS: 'VKYC_USER_AADHAAR_VERIFIED',
  USER_MEETING_SCHEDULED: 'VKYC_USER_CALL_SCHEDULED',
  USER_QUEUED: 'VKYC_USER_CALL_QUEUED',
  AGENT_ASSIGNED_TO_USER: 'VKYC_USER_CALL_STARTED',
  USER_DROPPED_OFF: 'VKYC_USER_DROPOFF_FROM_CALL',
  CALL_COMPLETED: 'VKYC_USER_CALL_COMPLETED',
  AUDITOR_APPROVED: 'VKYC_AUDITOR_REVIEW_COMPLETED',
  AUDITOR_REJECTED: 'VKYC_AUDITOR_REVIEW_COMPLETED',
};

export function webhookEventFor(body: VkycStatusBody): string | undefined {
  if (/FAILED$/.test(body.sub_status) && body.status === 'PRE_VIDEO_CALL') return 'VKYC_USER_PRECHECK_FAILED';
  return EVENT_FOR_SUB_STATUS[body.sub_status];
}

/**
 * The JSON Cashfree posts for a state change, as its documentation shows it (spec/cashfree-api.md §6.1):
 * `data` mirrors GET /vkyc field for field, the customer's vkyc_link included, except that an absent value
 * is "" rather than null and link_expiry is the day alone; event_time has whole seconds; there is no event id.
 */
export function webhookBody(eventType: string, state: VkycStatusBody, eventTime = new Date()): string {
  return JSON.stringify({
    event_type: eventType,
    event_time: eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    version: 'v1',
    data: {
      verification_id: state.verification_id,
      reference_id: state.reference_id,
      user_reference_id: state.user_reference_id,
      user_id: state.user_id,
      status: state.status,
      sub_status: state.sub_status,
      vkyc_link: state.vkyc_link,
      link_expiry: state.link_expiry.slice(0, 10),
      recording_link: state.recording_link ?? '',
      meeting_schedule: state.meeting_schedule ?? '',
    },
  });
}

/** base64(HMAC-SHA256(client secret, timestamp + raw body)), as Cashfree signs its webhooks. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(timestamp + body).digest('base64');
}

/** Sends signed webhooks to a URL, as Cashfree's dashboard setting does, and records the answers. */
export function createWebhookSender(secret: string) {
  let url: string | undefined;
  const sent: SentWebhook[] = [];

  async function send(body: string, opts: WebhookOptions = {}): Promise<SentWebhook> {
    const target = opts.url ?? url;
    if (target === undefined) throw new Error('cashfree sim: no webhook URL set');
    const timestamp = String(opts.timestamp ?? Date.now());
    const signature = opts.signature === undefined ? signWebhook(secret, timestamp, body) : opts.signature;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-webhook-timestamp': timestamp,
      'x-webhook-attempt': String(opts.attempt ?? 1),
      'x-webhook-version': '2025-01-01',
      ...(signature === null ? {} : { 'x-webhook-signature': signature }),
    };
    const res = await fetch(target, { method: 'POST', headers, body });
    const record: SentWebhook = { body, headers, status: res.status, answer: await res.text(), at: Date.now() };
    sent.push(record);
    return record;
  }

  return {
    sent,
    send,
    setUrl: (next: string | undefined) => {
      url = next;
    },
    /** Sends the event a state change causes, if any and if a URL is set; failures are recorded, not thrown. */
    notify(state: VkycStatusBody): void {
      const eventType = webhookEventFor(state);
      if (url === undefined || eventType === undefined) return;
      send(webhookBody(eventType, state)).catch((error: unknown) => {
        sent.push({ body: '', headers: {}, status: 0, answer: String(error), at: Date.now() });
      });
    },
  };
}
