import type { ListedTracking } from '../vkyc/types.js';
import type { OutcomeRow, TrackedState } from '../vkyc/types.js';
import type { HistoryEntry } from '../vkyc/types.js';
import { CSV_COLUMNS } from '../text/words.js';
import { outcomeOf } from '../vkyc/phases.js';
import { waitsTooLong } from './digest.js';

/** The CSV files the bot sends an agent: whole lists, with nothing about the customers. */

/**
 * One field: quoted when it holds a comma, quote or line break (RFC 4180), and never read as a formula by a
 * spreadsheet (text Cashfree sent could start with = + - @).
 */
function field(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/** Rows as CSV with CRLF line ends; the byte order mark makes spreadsheets read it as UTF-8. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}

const isoOrEmpty = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

export function listCsv(rows: readonly ListedTracking[]): string {
  return toCsv(
    CSV_COLUMNS.list,
    rows.map((row) => [
      row.verification_id,
      row.status,
      row.sub_status,
      row.tracked_by,
      isoOrEmpty(row.tracked_at),
      isoOrEmpty(row.changed_at),
      row.check_failed === 1 ? 'yes' : 'no',
      row.permalink ?? '',
    ]),
  );
}

/** Never the recording link itself: only whether one exists. */
export function historyCsv(entries: readonly HistoryEntry[]): string {
  return toCsv(
    CSV_COLUMNS.history,
    entries.map((entry) => [
      isoOrEmpty(entry.observed_at),
      entry.status,
      entry.sub_status,
      entry.previous_status ?? '',
      entry.previous_sub_status ?? '',
      entry.final_reason ?? '',
      isoOrEmpty(entry.first_posted_at),
      entry.has_recording === 1 ? 'yes' : 'no',
    ]),
  );
}

/**
 * A digest in full: every verification the channel tracks now (`tracked`, or `waiting_too_long` as of `nowMs`),
 * then every one that ended in the digest's window (`approved`, `rejected`, `expired`, `other`).
 */
export function digestCsv(input: { tracked: readonly TrackedState[]; outcomes: readonly OutcomeRow[]; nowMs: number; stuckAfterMs: number }): string {
  return toCsv(CSV_COLUMNS.digest, [
    ...input.tracked.map((row) => [
      waitsTooLong(row, input.nowMs, input.stuckAfterMs) ? 'waiting_too_long' : 'tracked',
      row.verification_id,
      row.status,
      row.sub_status,
      isoOrEmpty(row.since),
      row.permalink ?? '',
    ]),
    ...input.outcomes.map((row) => [
      outcomeOf(row.status, row.sub_status, row.final_reason),
      row.verification_id,
      row.status,
      row.sub_status,
      isoOrEmpty(row.observed_at),
      row.permalink ?? '',
    ]),
  ]);
}
