import { z } from 'zod';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { digestCsv, historyCsv, listCsv } from '../../slack/csv.js';
import { isSlackApiError, slackFailure } from '../../slack/failures.js';
import { sendFilePrivately } from '../../tracking/private-file.js';
import { describeSlackError, say } from '../../text/words.js';
import { parseJson, readPageValue } from './pages.js';

interface CsvFile {
  csv: string;
  filename: string;
  title: string;
  comment: string;
  /** What the audit records as exported: 'list', 'digest' or a verification id. */
  subject: string;
}

/** *All as CSV* under `/kyc list`: every verification this channel tracks, as a file in the agent's DM with the bot. */
export async function listCsvFromButton(deps: CommandDeps, inv: Invocation): Promise<Outcome> {
  const rows = deps.store.listedPage(inv.channelId, 0, -1);
  if (rows.length === 0) {
    await inv.reply(say.nothingTracked);
    return { result: 'ok', code: 'nothing_tracked' };
  }
  return sendPrivately(deps, inv, {
    csv: listCsv(rows),
    filename: `kyc-list-${fileSafe(inv.channelId)}.csv`,
    title: `Verifications tracked in ${inv.channelId}`,
    comment: say.listCsvComment(rows.length, inv.channelId),
    subject: 'list',
  });
}

/** *All as CSV* under `/kyc history`: every status the bot observed for the verification, in the agent's DM. */
export async function historyCsvFromButton(deps: CommandDeps, inv: Invocation, value: string): Promise<Outcome> {
  const id = readPageValue(value)?.id;
  if (id === undefined) {
    await inv.reply(say.buttonUnreadable);
    return { result: 'invalid' };
  }
  const entries = deps.store.history(id);
  if (entries.length === 0) {
    await inv.reply(say.noHistory(id));
    return { result: 'ok', code: 'no_history' };
  }
  return sendPrivately(deps, inv, {
    csv: historyCsv(entries),
    filename: `kyc-history-${fileSafe(id)}.csv`,
    title: `Status history of ${id}`.slice(0, 250),
    comment: say.historyCsvComment(id, entries.length),
    subject: id,
  });
}

const digestWindowSchema = z.object({ since: z.number().int().nonnegative(), until: z.number().int().nonnegative() });

/**
 * *Digest as CSV* under a channel's digest: what the channel tracks now, and what ended in the digest's window,
 * in the clicker's DM with the bot.
 */
export async function digestCsvFromButton(deps: CommandDeps, inv: Invocation, value: string): Promise<Outcome> {
  const window = digestWindowSchema.safeParse(parseJson(value));
  if (!window.success) {
    await inv.reply(say.buttonUnreadable);
    return { result: 'invalid' };
  }
  const { since, until } = window.data;
  const tracked = deps.store.trackedStates().filter((row) => row.channel_id === inv.channelId);
  const outcomes = deps.store.outcomesSince(inv.channelId, since).filter((row) => row.observed_at <= until);
  if (tracked.length === 0 && outcomes.length === 0) {
    await inv.reply(say.digestCsvEmpty);
    return { result: 'ok', code: 'nothing_left' };
  }
  return sendPrivately(deps, inv, {
    csv: digestCsv({ tracked, outcomes, nowMs: deps.now(), stuckAfterMs: deps.config.alerts.stuckAfterMs }),
    filename: `kyc-digest-${fileSafe(inv.channelId)}-${new Date(until).toISOString().slice(0, 10)}.csv`,
    title: `Video KYC digest of ${inv.channelId}`,
    comment: say.digestCsvComment(inv.channelId),
    subject: 'digest',
  });
}

/** A file cannot be ephemeral: it goes to the agent's DM with the bot, and the agent is told where it is. */
async function sendPrivately(deps: CommandDeps, inv: Invocation, file: CsvFile): Promise<Outcome> {
  try {
    await sendFilePrivately(inv.slack, inv.userId, { bytes: Buffer.from(file.csv, 'utf8'), filename: file.filename, title: file.title, comment: file.comment });
  } catch (error) {
    if (!isSlackApiError(error)) throw error;
    const { code } = slackFailure(error);
    await inv.reply(say.csvNotSent(describeSlackError(code)));
    return { result: 'slack_error', code };
  }
  deps.store.audit({ actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'csv_sent', subject: file.subject }, deps.now());
  await inv.reply(say.csvSent);
  return { result: 'ok' };
}

/** A name part made only of characters every file system takes. */
function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60);
}
