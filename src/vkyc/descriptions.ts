import { wordsFor } from '../text/words.js';

/**
 * Plain-words meaning of Cashfree's VKYC status/sub-status codes, from Cashfree's
 * "Status Codes and Templates" table. The table upstream is incomplete, so an
 * unknown code is data: it is shown as it is, never rejected.
 */
const SUB_STATUS = wordsFor({
  INSUFFICIENT_BALANCE: 'Rejected: the Cashfree account balance is too low. Add funds and start a new Video KYC.',
  LINK_GENERATED: 'Link created. Share it with the customer.',
  AADHAAR_VERIFICATION_SUCCESS: 'Aadhaar verified.',
  AADHAAR_VERIFICATION_FAILED: 'Aadhaar could not be verified. The customer can retry with correct details.',
  AADHAAR_VERIFICATION_EXPIRED: 'The Aadhaar step timed out. The customer needs to restart it.',
  USER_IP_VERIFICATION_SUCCESSFUL: "Customer's IP address verified.",
  USER_PROXY_DETECTED: 'A proxy or VPN was detected. The customer should turn it off and retry.',
  TECHNICAL_FAILURE: 'A technical problem stopped the journey. The customer can retry later.',
  USER_LOCATION_VERIFICATION_SUCCESS: "Customer's location verified; device checks are next.",
  USER_LOCATION_OUTSIDE_INDIA: 'The customer is outside India. They must retry from India.',
  USER_AUDIO_CHECK_FAILED: "The customer's microphone is not enabled.",
  USER_VIDEO_CHECK_FAILED: "The customer's camera is not enabled.",
  USER_LOCATION_PERMISSION_DISABLED: 'The customer denied location permission.',
  USER_DEVICE_CHECK_SUCCESS: 'Device checks passed; the customer joins the agent queue.',
  USER_QUEUED: 'The customer is waiting for an agent.',
  SCHEDULED_USER_QUEUED: 'The customer is queued for their scheduled slot.',
  NO_AGENT_FOUND: 'No agent was free. The customer can retry later.',
  AGENT_ASSIGNED_TO_USER: 'An agent has been assigned to the customer.',
  USER_MEETING_SCHEDULED: 'A video call has been scheduled.',
  VKYC_EXPIRED: 'The Video KYC link expired. Start a new Video KYC request.',
});

const STATUS = wordsFor({
  RECEIVED: 'Video KYC request received.',
  PRE_VIDEO_CALL: 'The customer is in the pre-call checks.',
  VIDEO_CALL: 'The customer is at the video call stage.',
  AGENT_REVIEWED: 'The agent has reviewed the call; an auditor review follows.',
  AUDITOR_REVIEWED: 'The auditor has reviewed the verification; the sub-status gives the outcome.',
  APPROVED: 'Video KYC approved.',
  REJECTED: 'Video KYC rejected.',
  EXPIRED: 'The Video KYC link expired. Start a new Video KYC request.',
  FAILED: 'Video KYC failed.',
});

export function describeStatus(status: string, subStatus: string): string {
  return SUB_STATUS.get(subStatus) ?? STATUS.get(status) ?? 'Cashfree reported a status this bot does not know yet.';
}

const EMOJI = wordsFor({
  RECEIVED: ':hourglass_flowing_sand:',
  PRE_VIDEO_CALL: ':large_blue_circle:',
  VIDEO_CALL: ':movie_camera:',
  AGENT_REVIEWED: ':warning:',
  AUDITOR_REVIEWED: ':ballot_box_with_check:',
  APPROVED: ':white_check_mark:',
  REJECTED: ':x:',
  FAILED: ':x:',
  EXPIRED: ':alarm_clock:',
});

export function statusEmoji(status: string): string {
  return EMOJI.get(status) ?? ':grey_question:';
}
