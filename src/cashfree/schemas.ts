import { z } from 'zod';
import { linkExpiryInstant } from '../vkyc/lifecycle.js';
import type { StartedVkyc, StaticLink, VkycState, VkycUser } from '../vkyc/types.js';

export type { StartedVkyc, StaticLink, VkycState, VkycUser } from '../vkyc/types.js';

/**
 * Wire formats of Cashfree's Verification API, parsed into domain types.
 * Fields the bot relies on are strict; everything else is tolerated so that
 * an extra or odd field never turns a good answer into an error.
 */

const looseString = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((value) => (value === null || value === '' ? undefined : value));

const looseNumber = z.coerce.number().int().nullish().catch(undefined).transform((value) => value ?? undefined);

export const staticLinkSchema = z
  .object({
    static_link: z.url({ protocol: /^https?$/ }),
    status: z.string().catch('UNKNOWN'),
    template_name: z.string().min(1),
  })
  .transform(
    (wire): StaticLink => ({ link: wire.static_link, status: wire.status, templateName: wire.template_name }),
  );

const vkycStateWire = z.object({
  verification_id: z.string().min(1),
  reference_id: looseNumber,
  user_id: looseString,
  status: z.string().trim().min(1),
  sub_status: z.string().trim().nullish().transform((value) => value ?? ''),
  link_expiry: looseString.transform((value) => (value === undefined ? undefined : linkExpiryInstant(value))),
  meeting_schedule: looseString,
  recording_link: looseString,
  // Only in Cashfree's current docs (not SDK 4.0.1): absent, null, empty or of another type all mean none.
  agent_remarks: looseString,
  auditor_remarks: looseString,
});

function toVkycState(wire: z.infer<typeof vkycStateWire>): VkycState {
  return {
    verificationId: wire.verification_id,
    referenceId: wire.reference_id,
    userId: wire.user_id,
    status: wire.status,
    subStatus: wire.sub_status,
    linkExpiry: wire.link_expiry,
    meetingSchedule: wire.meeting_schedule,
    hasRecording: wire.recording_link !== undefined,
    ...remarksOf(wire),
  };
}

function remarksOf(wire: { agent_remarks: string | undefined; auditor_remarks: string | undefined }): Pick<VkycState, 'remarks'> {
  const agent = wire.agent_remarks?.trim() || undefined;
  const auditor = wire.auditor_remarks?.trim() || undefined;
  return agent === undefined && auditor === undefined ? {} : { remarks: { agent, auditor } };
}

export const vkycStateSchema = vkycStateWire.transform(toVkycState);

export const vkycUserSchema = z
  .object({ user_reference_id: z.coerce.number().int(), user_id: z.string().min(1) })
  .transform((wire): VkycUser => ({ userReferenceId: wire.user_reference_id, userId: wire.user_id }));

export const startedVkycSchema = vkycStateWire
  .extend({ vkyc_link: z.url({ protocol: /^https?$/ }).optional().catch(undefined) })
  .transform((wire): StartedVkyc => ({ state: toVkycState(wire), link: wire.vkyc_link }));

export const errorBodySchema = z.object({
  type: z.string().catch('unknown_error'),
  code: z.string().catch('unknown'),
  message: z.string().catch(''),
  /** Optional detail object, e.g. `{ref_id}`; for a user that already exists, the bot looks here for its ids. */
  error: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

/** Every failure of a Cashfree call, whether Cashfree answered with an error, garbage, or nothing at all. */
export class CashfreeError extends Error {
  override name = 'CashfreeError';
  constructor(
    /** HTTP status; 0 when no response arrived (timeout, refused, reset). */
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    /** Milliseconds Cashfree asked us to wait (429), when it said. */
    readonly retryAfterMs?: number,
    /** The body's optional `error` object. */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }

  get isRateLimit(): boolean {
    return this.status === 429;
  }

  /** Worth trying again later: rate limits, server errors, and no response at all. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}
