import type { VerificationRow, VkycState } from '../vkyc/types.js';

/** The columns a stored state is kept in, in `verifications` and in `webhook_events` alike (there has_recording may be NULL). */
export type StateColumns = Pick<
  VerificationRow,
  'verification_id' | 'reference_id' | 'user_id' | 'status' | 'sub_status' | 'link_expiry' | 'meeting_schedule'
> & { has_recording: number | null };

/** A stored state as the domain sees it. */
export function stateFromColumns(row: StateColumns): VkycState {
  return {
    verificationId: row.verification_id,
    referenceId: row.reference_id ?? undefined,
    userId: row.user_id ?? undefined,
    status: row.status,
    subStatus: row.sub_status,
    linkExpiry: row.link_expiry ?? undefined,
    meetingSchedule: row.meeting_schedule ?? undefined,
    hasRecording: row.has_recording === 1,
  };
}
