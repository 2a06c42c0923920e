/**
 * One state of a Video KYC journey. A field left undefined keeps its previous value when the step is
 * applied; null clears it.
 */
export interface VkycStep {
  status: string;
  sub_status: string;
  meeting_schedule?: string | null;
  recording_link?: string | null;
  agent_remarks?: string | null;
  auditor_remarks?: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A pre-signed S3 URL shaped like the one in Cashfree's GET /vkyc example; it expires after an hour. */
export const SAMPLE_RECORDING_LINK =
  'https://cf-prod-cfvkyc-video-recording.s3.ap-south-1.amazonaws.com/watermarkedRecording/51826/11203/10771/watermarkedRecording.mp4' +
  '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIASWG7WQ7NV3ALAN6F%2F20250709%2Fap-south-1%2Fs3%2Faws4_request' +
  '&X-Amz-Date=20250709T084809Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host' +
  '&X-Amz-Signature=733957e5bf492c40d609614f4c2807268ccae44a35f690ac29681f4a1909daaaa';

function preVideoCall(sub_status: string): VkycStep {
  return { status: 'PRE_VIDEO_CALL', sub_status };
}

/** A user who goes all the way to auditor approval. */
export const STANDARD_JOURNEY: readonly VkycStep[] = [
  { status: 'RECEIVED', sub_status: 'LINK_GENERATED' },
  preVideoCall('AADHAAR_VERIFICATION_SUCCESS'),
  preVideoCall('USER_IP_VERIFICATION_SUCCESSFUL'),
  preVideoCall('USER_LOCATION_VERIFICATION_SUCCESS'),
  preVideoCall('USER_DEVICE_CHECK_SUCCESS'),
  { ...preVideoCall('USER_MEETING_SCHEDULED'), meeting_schedule: new Date(Date.now() + DAY_MS).toISOString() },
  preVideoCall('USER_QUEUED'),
  preVideoCall('AGENT_ASSIGNED_TO_USER'),
  { status: 'VIDEO_CALL', sub_status: 'CALL_COMPLETED', recording_link: SAMPLE_RECORDING_LINK },
  { status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED', recording_link: SAMPLE_RECORDING_LINK },
];

/** A user whose packet the auditor rejects. */
export const REJECTED_JOURNEY: readonly VkycStep[] = [
  { status: 'RECEIVED', sub_status: 'LINK_GENERATED' },
  preVideoCall('AADHAAR_VERIFICATION_SUCCESS'),
  { status: 'REJECTED', sub_status: 'AUDITOR_REJECTED', auditor_remarks: 'Face does not match the Aadhaar photo' },
];
