import { listMessage } from '../../slack/blocks.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/** `/kyc list`: the verifications tracked in this channel with their latest status. */
export async function listTracked(deps: CommandDeps, inv: Invocation): Promise<Outcome> {
  const rows = deps.store.channelTrackings(inv.channelId);
  await inv.reply(rows.length === 0 ? say.nothingTracked : listMessage(rows).text);
  return { result: 'ok' };
}
