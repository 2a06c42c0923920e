import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { slackFailure } from '../slack/failures.js';
import type { Store } from '../store/store.js';
import { parseBulkCsv, type FileProblem, type RowProblem } from '../vkyc/bulk-csv.js';
import { bulkVerificationId, rowContext } from '../vkyc/bulk.js';
import { PHONE_SEAL_IV_BYTES } from '../vkyc/phone-key.js';
import { phoneKeysOf } from './phones.js';

/**
 * A CSV an agent shared in their DM with the bot becomes a draft batch: read once (files.info, then the file
 * with the bot token), checked row by row, sealed into SQLite, and deleted from Slack. Nothing starts until
 * the agent confirms (src/listeners/views/start-bulk.ts).
 */
export interface BulkUploadDeps {
  config: { phoneKey: string | undefined; slack: { botToken: string } };
  store: Pick<Store, 'bulk' | 'audit'>;
  logger: Logger;
  now: () => number;
}

/** Whether the bot could delete the file from Slack; a bot token may not delete a person's upload (cant_delete_file). */
export type Deletion = { deleted: true } | { deleted: false; code: string };

export type UploadOutcome = { deletion: Deletion } & (
  | { kind: 'disabled' }
  | { kind: 'unreadable'; why: 'too_big' | 'not_csv' | 'download_failed' }
  | { kind: 'file_problem'; problem: FileProblem }
  | { kind: 'draft'; batchId: number | undefined; ready: number; invalid: Array<{ row: number; reason: RowProblem }> }
);

/** Far above 500 rows of phone, name and email. */
const MAX_BYTES = 256 * 1024;
const DOWNLOAD_TIMEOUT_MS = 10_000;

export async function takeBulkUpload(
  deps: BulkUploadDeps,
  slack: WebClient,
  upload: { fileId: string; userId: string; teamId: string | undefined; dmChannel: string },
): Promise<UploadOutcome> {
  const keys = phoneKeysOf(deps.config);
  const read = keys === undefined ? undefined : await readCsv(deps, slack, upload.fileId);
  const deletion = await deleteUpload(deps, slack, upload.fileId);
  if (keys === undefined || read === undefined) return { kind: 'disabled', deletion };
  if (typeof read !== 'string') return { kind: 'unreadable', why: read.why, deletion };
  const parsed = parseBulkCsv(read);
  if (!parsed.ok) return { kind: 'file_problem', problem: parsed.problem, deletion };
  if (parsed.rows.length === 0) return { kind: 'draft', batchId: undefined, ready: 0, invalid: parsed.invalid, deletion };
  const batchKey = randomBytes(5).toString('hex');
  const batchId = deps.store.bulk.createDraft({
    batchKey,
    createdBy: upload.userId,
    teamId: upload.teamId,
    dmChannel: upload.dmChannel,
    nowMs: deps.now(),
    rows: parsed.rows.map((row) => ({
      row: row.row,
      verificationId: bulkVerificationId(batchKey, row.row),
      sealed: keys.seal(JSON.stringify({ phone: row.phone, name: row.name, email: row.email }), rowContext(batchKey, row.row), randomBytes(PHONE_SEAL_IV_BYTES)),
    })),
    invalid: parsed.invalid.map((row) => ({ row: row.row, reason: row.reason, verificationId: bulkVerificationId(batchKey, row.row) })),
  });
  deps.store.audit(
    { actor: upload.userId, teamId: upload.teamId, channelId: upload.dmChannel, action: 'bulk_uploaded', subject: `batch:${batchId}`, detail: `ready=${parsed.rows.length} invalid=${parsed.invalid.length}` },
    deps.now(),
  );
  return { kind: 'draft', batchId, ready: parsed.rows.length, invalid: parsed.invalid, deletion };
}

/** The file's text, or why it cannot be read; the contents never reach a log. */
async function readCsv(deps: BulkUploadDeps, slack: WebClient, fileId: string): Promise<string | { why: 'too_big' | 'not_csv' | 'download_failed' }> {
  try {
    const { file } = await slack.files.info({ file: fileId });
    const url = file?.url_private_download ?? file?.url_private;
    if (file === undefined || url === undefined) return { why: 'download_failed' };
    if ((file.size ?? 0) > MAX_BYTES) return { why: 'too_big' };
    if (!/\.(csv|txt)$/i.test(file.name ?? '') && !['csv', 'text'].includes(file.filetype ?? '')) return { why: 'not_csv' };
    // Slack answers a request without the token with a redirect to its sign-in page: never followed, never read as data.
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${deps.config.slack.botToken}` },
      redirect: 'manual',
      signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
    });
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || type.includes('text/html')) {
      await response.body?.cancel();
      deps.logger.warn('could not download a bulk CSV', { file: fileId, http_status: response.status });
      return { why: 'download_failed' };
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_BYTES) return { why: 'too_big' };
    return bytes.toString('utf8');
  } catch (error) {
    deps.logger.warn('could not read a bulk CSV', { file: fileId, slack_error: slackFailure(error).code });
    return { why: 'download_failed' };
  }
}

async function deleteUpload(deps: BulkUploadDeps, slack: WebClient, fileId: string): Promise<Deletion> {
  try {
    await slack.files.delete({ file: fileId });
    return { deleted: true };
  } catch (error) {
    const { code } = slackFailure(error);
    deps.logger.info('the bot could not delete a shared CSV', { file: fileId, slack_error: code });
    return { deleted: false, code };
  }
}
