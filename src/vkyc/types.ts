/**
 * Domain types every layer shares: what Cashfree's answers are parsed into
 * (src/cashfree/schemas.ts) and what the store, the builders and the use cases
 * pass around. No I/O.
 */

export interface StaticLink {
  link: string;
  status: string;
  templateName: string;
}

export interface VkycState {
  verificationId: string;
  referenceId: number | undefined;
  userId: string | undefined;
  status: string;
  subStatus: string;
  linkExpiry: string | undefined;
  meetingSchedule: string | undefined;
  /** Only whether a recording exists: the pre-signed URL itself is personal data and never leaves the client. */
  hasRecording: boolean;
  /** Set only on a fresh answer from Cashfree that carries remarks; never stored, so a state read back from the store has none. */
  remarks?: VkycRemarks | undefined;
}

/**
 * The agent's and the auditor's remarks (GET /vkyc `agent_remarks`, `auditor_remarks`): free text that may hold the
 * customer's personal data. Shown only privately (the owner's DM, an ephemeral `/kyc status`), never in a channel,
 * never stored, never logged.
 */
export interface VkycRemarks {
  agent: string | undefined;
  auditor: string | undefined;
}

/** A Cashfree user (POST /user), reduced to the ids: its phone, name and email never leave the client. */
export interface VkycUser {
  userReferenceId: number;
  userId: string;
}

/** A Video KYC just initiated (POST /vkyc): its state, and the customer's link, which is personal data. */
export interface StartedVkyc {
  state: VkycState;
  link: string | undefined;
}

/** How Cashfree tells the customer about a new Video KYC. */
export type NotificationType = 'sms' | 'whatsapp' | 'email';

/** A Cashfree webhook as the bot keeps it: only the fields it uses, never the customer's link or details. */
export interface WebhookEvent {
  eventType: string;
  /** ms since the epoch; undefined when missing or unreadable. */
  eventTime: number | undefined;
  verificationId: string | undefined;
  referenceId: number | undefined;
  /** What `data` says, read as a GET /vkyc answer is; undefined when it names no verification or no status. */
  state: VkycState | undefined;
}

/*
 * Read models: what the store's queries return and the message builders show.
 * The store keeps them in SQLite (src/store/); the field names are its columns.
 */

export interface VerificationRow {
  verification_id: string;
  reference_id: number | null;
  user_id: string | null;
  status: string;
  sub_status: string;
  link_expiry: string | null;
  meeting_schedule: string | null;
  has_recording: number;
  observed_at: number;
  next_poll_at: number | null;
  /** When Cashfree last pushed a webhook about it. */
  pushed_at: number | null;
  attempts: number;
  last_error: string | null;
  /** When status or sub-status last changed; NULL only on rows older than schema 2 that were never observed since. */
  changed_at: number | null;
  /** 1: an agent asked, poll before anything else. */
  urgent: number;
}

export interface TrackingRow {
  id: number;
  verification_id: string;
  team_id: string | null;
  channel_id: string;
  parent_ts: string | null;
  /** The thread the card is a reply in (a message shortcut's, a restart's); null: the card is its thread's root. */
  thread_ts: string | null;
  permalink: string | null;
  tracked_by: string;
  tracked_at: number;
  parent_stale: number;
  ended_at: number | null;
}

/** Where a tracking's replies go: the thread its card sits in, or the card's own thread. */
export function threadOf(tracking: { parent_ts: string | null; thread_ts: string | null }): string | null {
  return tracking.thread_ts ?? tracking.parent_ts;
}

export interface ChangeRow {
  id: number;
  verification_id: string;
  status: string;
  sub_status: string;
  previous_status: string | null;
  previous_sub_status: string | null;
  meeting_schedule: string | null;
  has_recording: number;
  final_reason: 'terminal' | 'link_expired' | null;
  observed_at: number;
}

export interface HistoryEntry extends ChangeRow {
  first_posted_at: number | null;
}

/** An active tracking with its verification's latest state and when that state began. */
export interface TrackedState {
  tracking_id: number;
  verification_id: string;
  channel_id: string;
  parent_ts: string;
  thread_ts: string | null;
  permalink: string | null;
  tracked_by: string;
  status: string;
  sub_status: string;
  link_expiry: string | null;
  /** When the bot first saw the current status and sub-status. */
  since: number;
}

/** A final status reached in a channel's thread. */
export interface OutcomeRow {
  verification_id: string;
  permalink: string | null;
  status: string;
  sub_status: string;
  final_reason: string | null;
  observed_at: number;
}

/** One tracked verification as `/kyc list` shows it: nothing about the customer. */
export interface ListedTracking {
  verification_id: string;
  status: string;
  sub_status: string;
  permalink: string | null;
  tracked_by: string;
  tracked_at: number;
  /** When status or sub-status last changed (NULL on rows older than schema 2 never observed since). */
  changed_at: number | null;
  /** 1 when the last status check failed. */
  check_failed: number;
}

/** A Start again of one verification as a new one, in the old card's thread. */
export interface RestartRow {
  id: number;
  from_verification_id: string;
  to_verification_id: string;
  channel_id: string;
  thread_ts: string;
  started_by: string;
  started_at: number;
  outcome: 'running' | 'started' | 'failed';
  /** The new card's permalink, once it is posted. */
  to_permalink: string | null;
}
