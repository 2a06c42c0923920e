import type { KnownBlock } from '@slack/types';
import { clip } from '../text/mrkdwn.js';
import { sayRules, type RuleLine, type SettingsWords } from '../text/words.js';
import type { SlackMessage } from './blocks.js';
import { SLACK_LIMITS } from './limits.js';

export interface RulesView {
  rules: RuleLine[];
  settings: SettingsWords;
  others: { channelId: string; rules: number }[];
  moreOthers: number;
}

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, SLACK_LIMITS.text) } });

/**
 * `/kyc subscriptions`: one section per rule, so a long rule never pushes the others out of view (a channel has
 * at most 20 rules, well within a message's 50 blocks), then the settings and the other channels.
 */
export function rulesMessage(view: RulesView): SlackMessage {
  const blocks: KnownBlock[] = [
    section(sayRules.listTitle(view.rules.length)),
    ...view.rules.map((line, i) => section(sayRules.listLine(i + 1, line))),
    ...(view.rules.length === 0 ? [] : [{ type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: sayRules.listFooter }] }]),
    { type: 'divider' },
    section(sayRules.settingsLine(view.settings)),
    ...(view.others.length === 0 ? [] : [section(sayRules.otherChannels(view.others, view.moreOthers))]),
  ];
  return { text: sayRules.listSummary(view.rules.length), blocks };
}
