import type { VkycState } from '../vkyc/types.js';

/** The columns a stored state is kept in, in `verifications` and in `webhook_events` alike. */
export interface StateColumns {
  verification_id: string;
  reference_id: number | null;
  user_id: string | null;
  status: string;
  sub_status: string;
  link_expiry: string | null;
  meeting_schedule: string | null;
  has_recording: number | null;
}

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
