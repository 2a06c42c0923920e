import { INTERACTIVE_SLACK_WAIT_MS, pacedCall } from '../../tracking/pacing.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/**
 * `/kyc subscribe [failures]`: this channel follows every verification that reaches the bot by webhook.
 * The announcement in the channel comes first: if the bot cannot post here, nothing is subscribed and
 * the agent is told to invite it (a subscription that could never open a card would fail silently).
 */
export async function subscribeChannel(deps: CommandDeps, inv: Invocation, filter: 'all' | 'failures'): Promise<Outcome> {
  const existing = deps.store.push.subscription(inv.channelId);
  if (existing?.filter === filter) {
    await inv.reply(say.subscribed(filter));
    return { result: 'ok', code: 'already_subscribed' };
  }
  await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: inv.channelId }, INTERACTIVE_SLACK_WAIT_MS, () =>
    inv.slack.chat.postMessage({ channel: inv.channelId, text: say.subscribedInChannel(inv.userId, filter), unfurl_links: false }),
  );
  deps.store.push.subscribe({ channel_id: inv.channelId, team_id: inv.teamId ?? null, filter, subscribed_by: inv.userId, subscribed_at: deps.now() });
  deps.store.audit({ actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'subscribed', detail: filter }, deps.now());
  await inv.reply(existing === undefined ? say.subscribed(filter) : say.subscriptionChanged(filter));
  return { result: 'ok' };
}

/** `/kyc unsubscribe`: cards already opened keep their threads until they end. */
export async function unsubscribeChannel(deps: CommandDeps, inv: Invocation): Promise<Outcome> {
  if (!deps.store.push.unsubscribe(inv.channelId)) {
    await inv.reply(say.notSubscribed);
    return { result: 'ok', code: 'not_subscribed' };
  }
  deps.store.audit({ actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'unsubscribed' }, deps.now());
  await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: inv.channelId }, INTERACTIVE_SLACK_WAIT_MS, () =>
    inv.slack.chat.postMessage({ channel: inv.channelId, text: say.unsubscribedInChannel(inv.userId) }),
  ).catch((error: unknown) => deps.logger.warn('could not announce the unsubscription in the channel', { channel: inv.channelId, error }));
  await inv.reply(say.unsubscribed);
  return { result: 'ok' };
}

/** `/kyc subscriptions`: every channel that follows the account. */
export async function listSubscriptions(deps: CommandDeps, inv: Invocation): Promise<Outcome> {
  const rows = deps.store.push.subscriptions();
  await inv.reply(
    rows.length === 0
      ? say.noSubscriptions
      : say.subscriptionList(rows.map((r) => ({ channelId: r.channel_id, filter: r.filter, by: r.subscribed_by, at: r.subscribed_at }))),
  );
  return { result: 'ok' };
}
