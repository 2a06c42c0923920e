import { rulesMessage } from '../../slack/rules.js';
import { INTERACTIVE_SLACK_WAIT_MS, pacedCall } from '../../tracking/pacing.js';
import { sayRules } from '../../text/words.js';
import { DEFAULT_CHANNEL_SETTINGS, escalationMention } from '../../vkyc/channel-settings.js';
import { ruleText, sameRule, type Rule } from '../../vkyc/rules.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/** The most rules one channel may have: `/kyc subscriptions` shows them all, without paging. */
export const MAX_CHANNEL_RULES = 20;
/** Other channels named in `/kyc subscriptions` before "and N more". */
const OTHER_CHANNELS_SHOWN = 20;

/**
 * `/kyc subscribe [filters]`: adds a rule to this channel (src/vkyc/rules.ts says how rules decide). The
 * announcement in the channel comes first: if the bot cannot post here, nothing is added and the agent is told
 * to invite it (a rule that could never open a card would fail silently).
 */
export async function subscribeChannel(deps: CommandDeps, inv: Invocation, rule: Rule): Promise<Outcome> {
  const existing = deps.store.channels.rulesIn(inv.channelId);
  const same = existing.findIndex((r) => sameRule(r.rule, rule));
  if (same >= 0) {
    await inv.reply(sayRules.ruleExists(same + 1));
    return { result: 'ok', code: 'rule_exists' };
  }
  if (existing.length >= MAX_CHANNEL_RULES) {
    await inv.reply(sayRules.tooManyRules(MAX_CHANNEL_RULES));
    return { result: 'invalid', code: 'too_many_rules' };
  }
  await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: inv.channelId }, INTERACTIVE_SLACK_WAIT_MS, () =>
    inv.slack.chat.postMessage({ channel: inv.channelId, text: sayRules.ruleAddedInChannel(inv.userId, ruleText(rule), rule.terms), unfurl_links: false }),
  );
  deps.store.channels.addRule({ channelId: inv.channelId, teamId: inv.teamId, rule, setBy: inv.userId, setAt: deps.now() });
  deps.store.audit({ actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'subscribed', detail: ruleText(rule) || 'all' }, deps.now());
  await inv.reply(sayRules.ruleAdded(existing.length + 1, rule.terms));
  return { result: 'ok' };
}

/**
 * `/kyc unsubscribe <n>` removes rule n (as `/kyc subscriptions` numbers them); `/kyc unsubscribe` removes every
 * rule of the channel, as it always has. Cards already opened keep their threads until they end.
 */
export async function unsubscribeChannel(deps: CommandDeps, inv: Invocation, which: string | undefined): Promise<Outcome> {
  const rules = deps.store.channels.rulesIn(inv.channelId);
  if (which === undefined) {
    if (rules.length === 0) {
      await inv.reply(sayRules.noRules);
      return { result: 'ok', code: 'not_subscribed' };
    }
    const removed = deps.store.channels.removeAllRules(inv.channelId);
    deps.store.audit({ actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'unsubscribed', detail: 'all' }, deps.now());
    await announce(deps, inv, sayRules.allRemovedInChannel(inv.userId));
    await inv.reply(sayRules.allRemoved(removed));
    return { result: 'ok' };
  }
  const n = /^\d{1,3}$/.test(which) ? Number(which) : 0;
  const rule = rules[n - 1];
  if (rule === undefined) {
    await inv.reply(sayRules.noSuchRule(which, rules.length));
    return { result: 'invalid', code: 'no_such_rule' };
  }
  deps.store.channels.removeRule(rule.id);
  const text = ruleText(rule.rule);
  deps.store.audit({ actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'unsubscribed', detail: text || 'all' }, deps.now());
  await announce(deps, inv, sayRules.ruleRemovedInChannel(inv.userId, text));
  await inv.reply(sayRules.ruleRemoved(n, text));
  return { result: 'ok' };
}

/** What was removed is said in the channel too; a channel the bot cannot post in is no reason to keep a rule. */
async function announce(deps: CommandDeps, inv: Invocation, text: string): Promise<void> {
  await pacedCall(deps.slackPacer, { method: 'chat.postMessage', channel: inv.channelId }, INTERACTIVE_SLACK_WAIT_MS, () =>
    inv.slack.chat.postMessage({ channel: inv.channelId, text }),
  ).catch((error: unknown) => deps.logger.warn('could not announce the unsubscription in the channel', { channel: inv.channelId, error }));
}

/** `/kyc subscriptions`: this channel's rules, numbered, its settings, and the other channels that follow the account. */
export async function listSubscriptions(deps: CommandDeps, inv: Invocation): Promise<Outcome> {
  const all = deps.store.channels.allRules();
  const rules = all.get(inv.channelId) ?? [];
  const stored = deps.store.channels.settings(inv.channelId);
  const settings = stored ?? DEFAULT_CHANNEL_SETTINGS;
  const others = [...all].filter(([channelId]) => channelId !== inv.channelId).map(([channelId, list]) => ({ channelId, rules: list.length }));
  await inv.show(
    rulesMessage({
      rules: rules.map((r) => ({ text: ruleText(r.rule), terms: r.rule.terms, setBy: r.setBy, setAt: r.setAt })),
      settings: {
        threadOnly: settings.threadOnly,
        condensed: settings.condensed,
        stuckAfterMinutes: settings.stuckAfterMinutes ?? Math.round(deps.config.alerts.stuckAfterMs / 60_000),
        stuckIsDefault: settings.stuckAfterMinutes === undefined,
        escalation: settings.escalationTarget === undefined ? undefined : escalationMention(settings.escalationTarget),
        updatedBy: stored?.updatedBy,
        updatedAt: stored?.updatedAt,
      },
      others: others.slice(0, OTHER_CHANNELS_SHOWN),
      moreOthers: Math.max(0, others.length - OTHER_CHANNELS_SHOWN),
    }),
  );
  return { result: 'ok' };
}
