import { describe, expect, it } from 'vitest';
import { ownerDmMessage, ownerSettingsBlocks, readQuietChoice, withOwnerMention } from '../../src/slack/owner-dm.js';

const base = { verificationId: 'vk_1', status: 'AUDITOR_REVIEWED', subStatus: 'AUDITOR_REJECTED', at: undefined, nowMs: 0 } as const;
const thread = { permalink: 'https://sim.slack.com/archives/C1/p1', channelId: 'C1' };

describe('owner DMs', () => {
  it('a rejection carries its remarks escaped, says when there are none, and when they could not be fetched', () => {
    const withRemarks = ownerDmMessage({ ...base, kind: 'rejected', thread, remarks: { agent: 'Blurred <@U1> @here', auditor: undefined } }).text;
    expect(withRemarks).toContain("*Agent's remarks:* Blurred &lt;@U1&gt; @\u200Bhere");
    expect(withRemarks).not.toContain("Auditor's remarks");
    expect(withRemarks).toContain('<https://sim.slack.com/archives/C1/p1|Open the thread>');
    expect(ownerDmMessage({ ...base, kind: 'rejected', thread, remarks: undefined }).text).toContain('Cashfree gave no remarks');
    expect(ownerDmMessage({ ...base, kind: 'rejected', thread: undefined, remarks: 'unavailable' }).text).toContain('`/kyc status vk_1` shows them');
  });

  it('a timed DM says how long is left; one without a permalink names the channel', () => {
    const at = new Date(9 * 60_000).toISOString();
    const text = ownerDmMessage({ ...base, kind: 'call_soon', status: 'PRE_VIDEO_CALL', subStatus: 'USER_MEETING_SCHEDULED', at, thread: { permalink: null, channelId: 'C9' } }).text;
    expect(text).toContain('starts in about 9 min');
    expect(text).toContain('<#C9>');
  });

  it('a breach names the stage and when it began, and what comes next', () => {
    const at = new Date(Date.UTC(2026, 10, 24, 5, 0)).toISOString();
    const text = ownerDmMessage({ ...base, kind: 'sla', status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED', at, stage: 'queue', thread }).text;
    expect(text).toContain('`vk_1` is over its service level: *Queue wait* has lasted longer than allowed. It began 2026-11-24 05:00 UTC (10:30 IST).');
    expect(text).toContain("the channel's escalation contact is mentioned in its thread");
    expect(text).toContain('Open the thread');
  });

  it('a mention goes on its own line; the settings read back only what they offer', () => {
    expect(withOwnerMention({ text: 'final' }, 'cc <@U1>').text).toBe('final\ncc <@U1>');
    expect(readQuietChoice('off')).toBeNull();
    expect(readQuietChoice('1320')).toBe(1320);
    expect(readQuietChoice('1321')).toBeUndefined();
    expect(readQuietChoice('constructor')).toBeUndefined();
    const blocks = ownerSettingsBlocks({ mutedKinds: ['dropoff'], quietFrom: 1320, quietUntil: 420 }, 'Asia/Kolkata');
    expect(JSON.stringify(blocks)).toContain('Quiet hours 22:00–07:00 (Asia/Kolkata)');
    const kinds = blocks.find((block) => block.block_id === 'owner_settings_kinds');
    const ticked = kinds?.type === 'section' && kinds.accessory?.type === 'checkboxes' ? (kinds.accessory.initial_options ?? []).map((o) => o.value) : [];
    expect(ticked).toEqual(['call_soon', 'precheck_failed', 'rejected', 'expiring', 'sla']);
  });
});
