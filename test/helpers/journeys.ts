/** A short journey that ends in a terminal status; each step is one change to post. */
export const FAULT_JOURNEY = [
  { status: 'RECEIVED', sub_status: 'LINK_GENERATED' },
  { status: 'PRE_VIDEO_CALL', sub_status: 'AADHAAR_VERIFICATION_SUCCESS' },
  { status: 'PRE_VIDEO_CALL', sub_status: 'USER_QUEUED' },
  { status: 'VIDEO_CALL', sub_status: 'CALL_COMPLETED' },
  { status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED' },
] as const;

export function stepCodes(steps: readonly { status: string; sub_status: string }[]): string[] {
  return steps.map((s) => `${s.status}/${s.sub_status}`);
}

/** The replies a fully observed FAULT_JOURNEY leaves in its thread (the first step is in the parent). */
export const FAULT_JOURNEY_REPLIES = stepCodes(FAULT_JOURNEY.slice(1));
