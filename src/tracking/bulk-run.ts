import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { CashfreeClient } from '../cashfree/client.js';
import { CashfreeError, type VkycState } from '../cashfree/schemas.js';
import type { Logger } from '../log.js';
import { bulkCard } from '../slack/bulk.js';
import { toCsv } from '../slack/csv.js';
import { slackFailure } from '../slack/failures.js';
import type { BulkBatch, BulkRowRecord } from '../store/bulk.js';
import type { Store } from '../store/store.js';
import { CSV_COLUMNS, say } from '../text/words.js';
import {
  BULK_MAX_ATTEMPTS,
  bulkRetryDelayMs,
  bulkStartsPerWindow,
  classifyStartError,
  rowContext,
  type BulkOptions,
} from '../vkyc/bulk.js';
import type { PhoneKeys } from '../vkyc/phone-key.js';
import type { RequestBudget } from './budget.js';
import { finalReasonOf, observe } from './observe.js';
import { pacedCall, type SlackPacer } from './pacing.js';
import { phoneKeysOf, recordStartedPhone } from './phones.js';
import { sendFilePrivately } from './private-file.js';
import { createOrReuseUser } from './vkyc-user.js';

/**
 * Confirmed batches, started row by row by the process that holds the poll lease. Each row's verification id
 * is fixed when the batch is stored, and a row is marked `starting` before its first POST, so a retry after a
 * crash asks Cashfree for the same id; Cashfree's 409 for an id it already has means "already started".
 * Starts take at most BULK_SHARE of the budget window (counted in SQLite, so a restart cannot reset it) and
 * take every request from the shared budget at background priority, so tracking and agents are never starved.
 */
export interface BulkRunDeps {
  config: { phoneKey: string | undefined };
  store: Store;
  cashfree: Pick<CashfreeClient, 'createVkycUser' | 'initiateVkyc' | 'getVkycStatus'>;
  budget: RequestBudget;
  /** The budget's window (60 s in production). */
  budgetWindowMs: number;
  slack: WebClient;
  slackPacer: SlackPacer;
  logger: Logger;
  now: () => number;
  terminalStatuses: readonly string[];
}

/** Slack answers after which posting in the card's channel or thread is pointless: the rows' reasons still reach the agent's CSV. */
const CHANNEL_LOST = new Set(['not_in_channel', 'channel_not_found', 'is_archived']);
const lost = (error: unknown) => {
  const failure = slackFailure(error);
  return failure.targetGone || CHANNEL_LOST.has(failure.code);
};

/**
 * Rows one run starts at most, and how long it keeps taking new ones, so that a run (and a shutdown waiting for it)
 * stays short; the next run is a second away. Wall-clock time: it bounds real waiting, whatever clock the bot keeps.
 */
const ROWS_PER_RUN = 20;
const RUN_MAX_MS = 5_000;
/** How long a start may wait for the second of its two requests. */
const BUDGET_WAIT_MS = 5_000;
/** How long a thread reply or the card's last update may wait for its lane before the next run tries again. */
const SLACK_WAIT_MS = 2_000;

export async function runBulkStarts(deps: BulkRunDeps): Promise<void> {
  const keys = phoneKeysOf(deps.config);
  for (const open of deps.store.bulk.openBatches()) {
    if (open.status === 'running' && keys !== undefined) await startDueRows(deps, open, keys);
    await reportFailures(deps, open);
    const counts = deps.store.bulk.counts(open.id);
    if (counts.remaining === 0 && deps.store.bulk.unreported(open.id).length === 0) deps.store.bulk.finish(open.id, deps.now());
    const batch = deps.store.bulk.batch(open.id);
    if (batch === undefined) continue;
    await refreshCard(deps, batch);
    if (batch.status === 'done' && batch.csv_sent_at === null) await sendResults(deps, batch);
  }
}

async function startDueRows(deps: BulkRunDeps, batch: BulkBatch, keys: PhoneKeys): Promise<void> {
  const share = bulkStartsPerWindow(deps.budget.limit);
  const options = parsed(optionsSchema, batch.options);
  if (options === undefined) {
    deps.logger.error('a bulk batch has unreadable options; its rows wait', { batch: batch.id });
    return;
  }
  const started = Date.now();
  for (let taken = 0; taken < ROWS_PER_RUN && Date.now() - started < RUN_MAX_MS; taken += 1) {
    const now = deps.now();
    if (deps.store.bulk.attemptsSince(now - deps.budgetWindowMs) >= share) return;
    const [row] = deps.store.bulk.dueRows(batch.id, now, 1);
    if (row === undefined) return;
    // The first of the start's two requests; without it, the next run tries again.
    if (deps.budget.tryTake(now, 'background') > 0) return;
    // A row left to try again means Cashfree or the budget is short: the rest wait for the next run.
    if (!(await startRow(deps, batch, row, keys, options))) return;
  }
}

/** What a sealed box holds (src/tracking/bulk-upload.ts): read back as strictly as it was written. */
const customerSchema = z.object({ phone: z.string().regex(/^[6-9]\d{9}$/), name: z.string().optional(), email: z.string().optional() });
type Customer = z.infer<typeof customerSchema>;
const optionsSchema = z.object({
  userTemplate: z.string().min(1),
  agentTemplate: z.string().min(1),
  notify: z.array(z.enum(['sms', 'whatsapp', 'email'])).min(1),
});

function parsed<T>(schema: z.ZodType<T>, text: string | null): T | undefined {
  try {
    const result = schema.safeParse(JSON.parse(text ?? ''));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Starts one row; false when it is left to try again later (the budget, an outage), which ends the run. */
async function startRow(deps: BulkRunDeps, batch: BulkBatch, row: BulkRowRecord, keys: PhoneKeys, options: BulkOptions): Promise<boolean> {
  const opened = row.sealed === null ? null : (keys.open(row.sealed, rowContext(batch.batch_key, row.row_number)) ?? null);
  const customer = parsed(customerSchema, opened);
  if (customer === undefined) {
    // Sealed under another KYC_PHONE_KEY: the values cannot be read back, and never will be.
    deps.store.bulk.settle(batch.id, row.row_number, 'failed', 'unreadable');
    return true;
  }
  deps.store.bulk.markAttempt(batch.id, row.row_number, deps.now());
  try {
    const user = await createOrReuseUser(deps.cashfree, customer);
    if (!(await deps.budget.take(deps.now() + BUDGET_WAIT_MS, undefined, 'background'))) {
      deps.store.bulk.retryLater(batch.id, row.row_number, deps.now() + 1_000, 'budget');
      return false;
    }
    const started = await deps.cashfree.initiateVkyc({
      verificationId: row.verification_id,
      userReferenceId: user.userReferenceId,
      userTemplate: options.userTemplate,
      agentTemplate: options.agentTemplate,
      notificationTypes: options.notify,
    });
    accept(deps, batch, row, customer, started.state);
    return true;
  } catch (error) {
    return refused(deps, batch, row, customer, error);
  }
}

async function refused(deps: BulkRunDeps, batch: BulkBatch, row: BulkRowRecord, customer: Customer, error: unknown): Promise<boolean> {
  if (!(error instanceof CashfreeError)) {
    deps.logger.error('a bulk start failed', { batch: batch.id, row: row.row_number, error });
    return retryOrFail(deps, batch, row, 'internal_error');
  }
  const kind = classifyStartError(error);
  if (kind === 'already_started') {
    // A start sent before a crash (or whose answer was lost) went through: this row is started, once.
    deps.logger.info('bulk row already started at Cashfree', { batch: batch.id, row: row.row_number, verification_id: row.verification_id });
    try {
      if (!(await deps.budget.take(deps.now() + BUDGET_WAIT_MS, undefined, 'background'))) throw new CashfreeError(0, 'budget', 'budget_exhausted', 'no request free');
      accept(deps, batch, row, customer, await deps.cashfree.getVkycStatus({ verificationId: row.verification_id }, { retry: false }));
      return true;
    } catch (lookup) {
      return retryOrFail(deps, batch, row, lookup instanceof CashfreeError ? lookup.code : 'internal_error');
    }
  }
  if (error.isRateLimit) deps.budget.pauseUntil(deps.now() + (error.retryAfterMs ?? 10_000));
  if (kind === 'try_again') return retryOrFail(deps, batch, row, error.code);
  deps.store.bulk.settle(batch.id, row.row_number, 'failed', `cashfree:${error.code}`);
  return true;
}

/** True when the row has now failed for good. */
function retryOrFail(deps: BulkRunDeps, batch: BulkBatch, row: BulkRowRecord, code: string): boolean {
  const attempts = row.attempts + 1;
  if (attempts >= BULK_MAX_ATTEMPTS) {
    deps.store.bulk.settle(batch.id, row.row_number, 'failed', `cashfree:${code}`);
    return true;
  }
  deps.store.bulk.retryLater(batch.id, row.row_number, deps.now() + bulkRetryDelayMs(attempts), code);
  return false;
}

/** Cashfree has the verification: recorded like any other, its phone hashed for `/kyc find`, the row's values deleted. */
function accept(deps: BulkRunDeps, batch: BulkBatch, row: BulkRowRecord, customer: Customer, state: VkycState): void {
  const now = deps.now();
  if (state.status === 'REJECTED' || finalReasonOf(deps, state, now) !== undefined) {
    observe(deps, state, now);
    deps.store.bulk.settle(batch.id, row.row_number, 'failed', `rejected:${state.subStatus || state.status}`);
    return;
  }
  observe(deps, state, now);
  recordStartedPhone(deps, { phone: customer.phone, verificationId: state.verificationId, by: batch.created_by, channelId: batch.channel_id ?? undefined });
  deps.store.bulk.settle(batch.id, row.row_number, 'started');
  deps.store.audit(
    {
      actor: batch.created_by,
      teamId: batch.team_id ?? undefined,
      channelId: batch.channel_id ?? undefined,
      action: 'vkyc_started',
      subject: state.verificationId,
      detail: `batch:${batch.id} row:${row.row_number}`,
    },
    now,
  );
}

/** One reply per failed row in the card's thread: its number and why, never its values. */
async function reportFailures(deps: BulkRunDeps, batch: BulkBatch): Promise<void> {
  const { channel_id: channel, card_ts: cardTs } = batch;
  if (channel === null || cardTs === null) return;
  for (const row of deps.store.bulk.unreported(batch.id)) {
    try {
      await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel }, SLACK_WAIT_MS, () =>
        deps.slack.chat.postMessage({ channel, thread_ts: cardTs, text: say.bulkRowFailed(row.row_number, row.reason ?? 'unknown') }),
      );
    } catch (error) {
      if (!lost(error)) {
        deps.logger.warn('could not post a bulk row failure; will retry', { batch: batch.id, row: row.row_number, slack_error: slackFailure(error).code });
        return;
      }
      deps.logger.warn('bulk row failure not posted: the card or its channel is gone; the CSV has it', { batch: batch.id, row: row.row_number, slack_error: slackFailure(error).code });
    }
    deps.store.bulk.markReported(batch.id, row.row_number, deps.now());
  }
}

/** The card shows the counts; while rows start it is updated as chat.update's lane allows, and once more at the end. */
async function refreshCard(deps: BulkRunDeps, batch: BulkBatch): Promise<void> {
  const { channel_id: channel, card_ts: cardTs } = batch;
  if (batch.card_stale === 0 || channel === null || cardTs === null) return;
  const done = batch.status === 'done';
  if (!done && deps.slackPacer.tryTake({ method: 'chat.update' }) > 0) return;
  const update = () => deps.slack.chat.update({ channel, ts: cardTs, ...bulkCard({ createdBy: batch.created_by, ...deps.store.bulk.counts(batch.id), done }) });
  try {
    await (done ? pacedCall(deps.slackPacer, { method: 'chat.update' }, SLACK_WAIT_MS, update) : update());
    deps.store.bulk.cardFresh(batch.id);
  } catch (error) {
    if (!done) deps.slackPacer.failed({ method: 'chat.update' }, error);
    if (lost(error)) deps.store.bulk.cardFresh(batch.id);
    deps.logger.warn(lost(error) ? 'bulk batch card is gone; not updated again' : 'could not update a bulk batch card; will retry', {
      batch: batch.id,
      slack_error: slackFailure(error).code,
    });
  }
}

/** The agent's CSV of row number → verification id, by DM: no phone, name or email in it. */
async function sendResults(deps: BulkRunDeps, batch: BulkBatch): Promise<void> {
  const rows = deps.store.bulk.rows(batch.id);
  const counts = deps.store.bulk.counts(batch.id);
  const csv = toCsv(
    CSV_COLUMNS.bulk,
    rows.map((row) => [String(row.row_number), row.state === 'started' ? row.verification_id : '', row.state, row.state === 'started' ? '' : (row.reason ?? '')]),
  );
  try {
    await sendFilePrivately(deps.slack, batch.created_by, {
      bytes: Buffer.from(csv, 'utf8'),
      filename: `kyc-bulk-${batch.id}.csv`,
      title: `Bulk Video KYC start ${batch.id}`,
      comment: say.bulkCsvComment(counts.started, counts.failed, batch.channel_id),
    });
  } catch (error) {
    deps.logger.warn('could not send a bulk batch CSV; will retry', { batch: batch.id, slack_error: slackFailure(error).code });
    return;
  }
  deps.store.bulk.csvSent(batch.id, deps.now());
  deps.store.audit({ actor: batch.created_by, teamId: batch.team_id ?? undefined, action: 'csv_sent', subject: `batch:${batch.id}` }, deps.now());
}
