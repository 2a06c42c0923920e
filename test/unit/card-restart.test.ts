import { describe, expect, it } from 'vitest';
import { parentCard, RESTART_ACTIONS } from '../../src/slack/blocks.js';
import type { VkycState } from '../../src/vkyc/types.js';

const state: VkycState = {
  verificationId: 'vk_1', referenceId: 7, userId: 'cf_user_1', status: 'EXPIRED', subStatus: 'VKYC_EXPIRED',
  linkExpiry: undefined, meetingSchedule: undefined, hasRecording: false,
};
const blocks = (card: ReturnType<typeof parentCard>) => JSON.stringify(card.blocks);

describe('an ended card and Start again', () => {
  it('offers Start again only on an ended card that qualifies', () => {
    expect(blocks(parentCard(state, 'U0AGENT', 0, 'tracking ended', { offer: true }))).toContain(RESTART_ACTIONS.startAgain);
    expect(blocks(parentCard(state, 'U0AGENT', 0, 'tracking ended', { offer: false }))).not.toContain(RESTART_ACTIONS.startAgain);
    expect(blocks(parentCard(state, 'U0AGENT', 0, undefined, { offer: true }))).not.toContain(RESTART_ACTIONS.startAgain);
  });

  it('says where it was started again, instead of the button', () => {
    const card = parentCard(state, 'U0AGENT', 0, 'tracking ended', {
      offer: true,
      startedAs: { verificationId: 'vkyc_20261202_ab', by: 'U0LEAD', permalink: 'https://sim.slack.com/archives/C0KYC/p1' },
    });
    expect(blocks(card)).toContain('Started again as `vkyc_20261202_ab` by <@U0LEAD>: <https://sim.slack.com/archives/C0KYC/p1|its card in this thread>.');
    expect(blocks(card)).not.toContain(RESTART_ACTIONS.startAgain);
  });
});
