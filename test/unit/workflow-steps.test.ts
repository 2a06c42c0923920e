import { describe, expect, it } from 'vitest';
import { statusOutputs, waitCompletion } from '../../src/slack/workflow-steps.js';
import { plainText } from '../../src/text/mrkdwn.js';
import { describeCashfreeError, say } from '../../src/text/words.js';

describe('how a workflow wait ends', () => {
  const ended = (status: string, subStatus: string, finalReason: string | null = 'terminal') => waitCompletion({ verificationId: 'vk_1', status, subStatus, finalReason });

  it('completes with the decision in outcome', () => {
    expect(ended('AUDITOR_REVIEWED', 'AUDITOR_APPROVED')).toEqual({
      outputs: { verification_id: 'vk_1', status: 'AUDITOR_REVIEWED', sub_status: 'AUDITOR_APPROVED', phase: 'ended', outcome: 'approved' },
    });
    expect(ended('REJECTED', 'AUDITOR_REJECTED')).toMatchObject({ outputs: { outcome: 'rejected' } });
    expect(ended('FAILED', '')).toMatchObject({ outputs: { outcome: 'rejected', sub_status: '' } });
  });

  it('fails with the reason when the link expired, by its date or by Cashfree’s status', () => {
    for (const completion of [ended('RECEIVED', 'LINK_GENERATED', 'link_expired'), ended('EXPIRED', 'VKYC_EXPIRED')]) {
      expect(completion).toEqual({ error: expect.stringContaining("The customer's Video KYC link for vk_1 expired") });
    }
  });

  it('reports the phase with the codes', () => {
    expect(statusOutputs({ verificationId: 'vk_1', status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED' })).toEqual({
      verification_id: 'vk_1',
      status: 'PRE_VIDEO_CALL',
      sub_status: 'USER_QUEUED',
      phase: 'call',
    });
  });
});

describe('plain text for a step’s error', () => {
  it('drops emoji codes and code spans, and keeps the words', () => {
    expect(plainText(describeCashfreeError({ status: 400, code: 'template_name_not_found', message: 'x' }))).toBe(
      'The template does not exist in this Cashfree account (template_name_not_found).',
    );
    expect(plainText(say.budgetExhausted(12))).toBe("The bot has used this minute's Cashfree request budget. Try again in about 12 s.");
    expect(plainText('Times: 10:30:00 stay')).toBe('Times: 10:30:00 stay');
  });
});
