import type { NotificationType } from './types.js';

/** Decisions of a bulk start, as pure functions: ids, the budget share, what a Cashfree answer means for a row. */

/** A row's verification id, fixed when the batch is stored: a retry after a crash asks Cashfree for the same one. */
export function bulkVerificationId(batchKey: string, row: number): string {
  return `bulk_${batchKey}_${row}`;
}

/** What a row's sealed box is bound to, so a box moved to another row or batch does not open. */
export function rowContext(batchKey: string, row: number): string {
  return `bulk ${batchKey} row ${row}`;
}

/** A draft waits this long for the agent to confirm it; the daily retention purge then deletes it, sealed rows and all. */
export const BULK_DRAFT_TTL_MS = 24 * 60 * 60_000;

/** What the agent chose when confirming, as the `/kyc vkyc` form asks it. */
export interface BulkOptions {
  userTemplate: string;
  agentTemplate: string;
  notify: NotificationType[];
}

/**
 * Bulk starts may spend at most this share of CASHFREE_MAX_RPM on POST /vkyc in any budget window. Each start
 * is two requests (POST /user, POST /vkyc), both taken from the shared budget at background priority, so
 * starts take at most half the budget and polls and agents keep the rest.
 */
export const BULK_SHARE = 0.25;

export function bulkStartsPerWindow(maxRequestsPerMinute: number): number {
  return Math.max(1, Math.floor(maxRequestsPerMinute * BULK_SHARE));
}

/** A row that failed for a reason not its own (an outage, a 429) is tried again this many times, further apart each time. */
export const BULK_MAX_ATTEMPTS = 5;

export function bulkRetryDelayMs(attempts: number): number {
  return Math.min(5 * 60_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}

/** What a Cashfree refusal of POST /user or POST /vkyc means for the row. */
export type StartRefusal = 'already_started' | 'row_refused' | 'try_again';

export function classifyStartError(error: { status: number; code: string; message: string }): StartRefusal {
  if (error.status === 409 && /verification/i.test(`${error.code} ${error.message}`)) return 'already_started';
  // The row's own data (a phone Cashfree rejects, a template that does not exist): trying again changes nothing.
  if (error.status === 400 || error.status === 404 || error.status === 409 || error.status === 422) return 'row_refused';
  return 'try_again';
}
