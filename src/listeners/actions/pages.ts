import { z } from 'zod';
import type { PageValue } from '../../slack/list-pages.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';
import { listTracked, showHistory } from '../lists.js';

const pageValueSchema = z.object({
  page: z.number().int().min(1).max(1_000_000),
  id: z.string().min(1).max(2_000).optional(),
});

/** A button's value as JSON; undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A page button's value (src/slack/list-pages.ts writes it); undefined when it is not one. */
export function readPageValue(value: string): PageValue | undefined {
  const read = pageValueSchema.safeParse(parseJson(value));
  if (!read.success) return undefined;
  return read.data.id === undefined ? { page: read.data.page } : { page: read.data.page, id: read.data.id };
}

async function unreadable(inv: Invocation): Promise<Outcome> {
  await inv.reply(say.buttonUnreadable);
  return { result: 'invalid' };
}

/** *Previous* / *Next* under `/kyc list`: that page of this channel's list, in place of the one clicked. */
export async function listPageFromButton(deps: CommandDeps, inv: Invocation, value: string): Promise<Outcome> {
  const read = readPageValue(value);
  return read === undefined ? unreadable(inv) : listTracked(deps, inv, read.page);
}

/** *Previous* / *Next* under `/kyc history`: that page of the verification's history, in place of the one clicked. */
export async function historyPageFromButton(deps: CommandDeps, inv: Invocation, value: string): Promise<Outcome> {
  const read = readPageValue(value);
  return read?.id === undefined ? unreadable(inv) : showHistory(deps, inv, { verificationId: read.id }, read.id, read.page);
}
