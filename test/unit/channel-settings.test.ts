import { describe, expect, it } from 'vitest';
import { escalationMention, parseEscalationTarget, readSettingsForm, stuckAfterMsFor, storedEscalationTarget } from '../../src/vkyc/channel-settings.js';

const WORDS = { choose: 'choose', stuckMinutes: 'minutes', escalation: 'target' };
const FORM = { finalPosts: 'broadcast', threadDetail: 'every_change', stuckMinutes: undefined, escalation: undefined };

describe('channel settings', () => {
  it('reads @here and user groups as escalation targets, and stores them as mentions', () => {
    expect(parseEscalationTarget('@here')).toEqual({ kind: 'here' });
    expect(parseEscalationTarget(' <!here> ')).toEqual({ kind: 'here' });
    expect(parseEscalationTarget('S0123ABCD')).toEqual({ kind: 'usergroup', id: 'S0123ABCD' });
    expect(parseEscalationTarget('<!subteam^S0123ABCD|@kyc-leads>')).toEqual({ kind: 'usergroup', id: 'S0123ABCD' });
    for (const bad of ['@channel', '@everyone', 'kyc-leads', 'U0123ABCD', '<@U0123>', 's0123abcd', '']) expect(parseEscalationTarget(bad)).toBeUndefined();
    expect(escalationMention({ kind: 'usergroup', id: 'S0123ABCD' })).toBe('<!subteam^S0123ABCD>');
    expect(storedEscalationTarget('<!subteam^S0123ABCD>')).toEqual({ kind: 'usergroup', id: 'S0123ABCD' });
    expect(storedEscalationTarget('<!here>')).toEqual({ kind: 'here' });
    expect(storedEscalationTarget(null)).toBeUndefined();
  });
  it('reads the form into settings', () => {
    expect(readSettingsForm({ finalPosts: 'thread_only', threadDetail: 'condensed', stuckMinutes: '45', escalation: '@here' }, WORDS)).toEqual({
      ok: true,
      settings: { threadOnly: true, condensed: true, stuckAfterMinutes: 45, escalationTarget: { kind: 'here' } },
    });
    expect(readSettingsForm(FORM, WORDS)).toEqual({
      ok: true,
      settings: { threadOnly: false, condensed: false, stuckAfterMinutes: undefined, escalationTarget: undefined },
    });
  });
  it('puts each mistake on its field', () => {
    expect(readSettingsForm({ finalPosts: undefined, threadDetail: 'loud', stuckMinutes: '1.5', escalation: '@channel' }, WORDS)).toEqual({
      ok: false,
      errors: { final_posts: 'choose', thread_detail: 'choose', stuck_minutes: 'minutes', escalation: 'target' },
    });
    for (const minutes of ['0', '1441', 'ten', '-5']) {
      expect(readSettingsForm({ ...FORM, stuckMinutes: minutes }, WORDS)).toEqual({ ok: false, errors: { stuck_minutes: 'minutes' } });
    }
  });
  it("uses a channel's own stuck threshold, else the global one", () => {
    expect(stuckAfterMsFor({ stuckAfterMinutes: 5 }, 1_800_000)).toBe(300_000);
    expect(stuckAfterMsFor({ stuckAfterMinutes: undefined }, 1_800_000)).toBe(1_800_000);
    expect(stuckAfterMsFor(undefined, 1_800_000)).toBe(1_800_000);
  });
});
