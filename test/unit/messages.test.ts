import { describe, expect, it } from 'vitest';
import { CashfreeError } from '../../src/cashfree/schemas.js';
import { changeReply, linkComment, parentCard } from '../../src/slack/blocks.js';
import { listPage } from '../../src/slack/list-pages.js';
import { PAGE_SIZE, pageOf, sectionsOf } from '../../src/slack/paging.js';
import { codeSpan, escapeMrkdwn, slackLink } from '../../src/text/mrkdwn.js';
import { utcAndIst } from '../../src/slack/time.js';
import type { ChangeRow } from '../../src/store/store.js';
import { describeCashfreeError, describeSlackError, helpText } from '../../src/text/words.js';

const change = (over: Partial<ChangeRow> = {}): ChangeRow => ({
  id: 1,
  verification_id: 'vk_1',
  status: 'PRE_VIDEO_CALL',
  sub_status: 'USER_MEETING_SCHEDULED',
  previous_status: 'PRE_VIDEO_CALL',
  previous_sub_status: 'USER_DEVICE_CHECK_SUCCESS',
  meeting_schedule: '2025-07-09T14:50:00.000Z',
  has_recording: 0,
  final_reason: null,
  observed_at: 0,
  ...over,
});

describe('escaping user text', () => {
  it('neutralises mentions, channel pings and links', () => {
    const out = escapeMrkdwn('<!channel> <@U123> <#C1|x> @here & <https://evil|x>');
    expect(out).not.toMatch(/<[!@#]/);
    expect(out).not.toMatch(/@here/);
    expect(out).toContain('&amp;');
  });

  it('keeps code spans closed and bounded', () => {
    expect(codeSpan('a`b')).toBe("`a'b`");
    expect(codeSpan('x'.repeat(500), 10).length).toBeLessThan(20);
  });

  it('makes links whose URL cannot end early', () => {
    expect(slackLink('https://x.test/a|b>c')).toBe('<https://x.test/a%7Cb%3Ec>');
  });
});

describe('message builders', () => {
  it('names template, link, status and requester in the link comment', () => {
    const text = linkComment({ link: 'https://forms.cashfree.com/f/abc', status: 'ACTIVE', templateName: 'Aadhaar_verification' }, 'U1');
    expect(text).toContain('`Aadhaar_verification`');
    expect(text).toContain('<https://forms.cashfree.com/f/abc>');
    expect(text).toContain('`ACTIVE`');
    expect(text).toContain('<@U1>');
  });

  it('puts both codes, the description and the meeting in UTC and IST in a reply', () => {
    const { text } = changeReply(change());
    expect(text).toContain('`PRE_VIDEO_CALL` / `USER_MEETING_SCHEDULED`');
    expect(text).toContain('video call has been scheduled');
    expect(text).toContain('2025-07-09 14:50 UTC (20:20 IST)');
  });

  it('says a recording exists without linking it, and says when tracking ends', () => {
    const { text } = changeReply(change({ status: 'REJECTED', sub_status: 'AUDITOR_REJECTED', has_recording: 1, final_reason: 'terminal' }));
    expect(text).toContain('recording is available');
    expect(text).toContain('tracking has ended');
    expect(text).not.toContain('http');
  });

  it('builds a parent card within Block Kit limits', () => {
    const card = parentCard(
      {
        verificationId: 'v'.repeat(50),
        referenceId: 1,
        userId: 'u',
        status: 'PRE_VIDEO_CALL',
        subStatus: 'USER_QUEUED',
        linkExpiry: '2025-08-03T00:00:00.000Z',
        meetingSchedule: undefined,
        hasRecording: false,
      },
      'U1',
      0,
    );
    expect(card.blocks?.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(card.blocks)).toContain('USER_QUEUED');
  });

  it('shows a long list a page at a time, saying which rows of how many, with buttons to the rest', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({
      verification_id: `vk_${i}`, status: 'RECEIVED', sub_status: 'LINK_GENERATED', permalink: 'https://x/p1',
      tracked_by: 'U1', tracked_at: i, changed_at: 0, check_failed: i % 2,
    }));
    const page = pageOf(rows.length, 2);
    const { text, blocks } = listPage(page, rows.slice(page.offset, page.offset + PAGE_SIZE));
    expect(text).toBe('500 verifications tracked in this channel: showing 21–40 of 500');
    const all = JSON.stringify(blocks);
    expect(all).toContain('Showing 21–40 of 500, newest first (page 2 of 25).');
    expect(all).toContain('`vk_20`');
    expect(all).toContain('`vk_39`');
    expect(all).not.toContain('`vk_40`');
    expect(blocks?.length).toBeLessThanOrEqual(50);
    const actions = blocks?.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({
      block_id: 'kyc_list_pages',
      elements: [
        { action_id: 'kyc_list_previous', value: '{"page":1}', text: { text: '← Previous' } },
        { action_id: 'kyc_list_next', value: '{"page":3}', text: { text: 'Next →' } },
        { action_id: 'kyc_list_csv', text: { text: 'All 500 as CSV' } },
      ],
    });
    const last = listPage(pageOf(rows.length, 99), rows.slice(480));
    expect(JSON.stringify(last.blocks)).toContain('Showing 481–500 of 500, newest first (page 25 of 25).');
    expect(JSON.stringify(last.blocks)).not.toContain('kyc_list_next');
    const one = listPage(pageOf(3, 1), rows.slice(0, 3));
    expect(JSON.stringify(one.blocks)).toContain('Showing all 3, newest first.');
    expect(JSON.stringify(one.blocks)).not.toContain('"actions"');
  });

  it('packs lines into sections of at most 3,000 characters, never splitting a line', () => {
    const lines = Array.from({ length: 7 }, (_, i) => `${i}`.repeat(1_000));
    const sections = sectionsOf(lines);
    expect(sections.map((s) => s.text?.text.length)).toEqual([2_001, 2_001, 2_001, 1_000]);
    expect(sections.map((s) => s.text?.text).join('\n')).toBe(lines.join('\n'));
    expect(pageOf(0, 5)).toEqual({ number: 1, pages: 1, offset: 0, shown: 0, total: 0 });
    expect(pageOf(41, 3)).toEqual({ number: 3, pages: 3, offset: 40, shown: 1, total: 41 });
    expect(pageOf(41, Number.NaN).number).toBe(1);
  });

  it('shows an unparseable time as it is', () => {
    expect(utcAndIst('soon')).toBe('soon');
    expect(utcAndIst('2025-07-09T20:00:00Z')).toBe('2025-07-09 20:00 UTC (2025-07-10 01:30 IST)');
  });
});

describe('error wording', () => {
  it('gives plain words and the code for Cashfree errors', () => {
    const notFound = describeCashfreeError(new CashfreeError(404, 'validation_error', 'template_name_not_found', 'no such template'));
    expect(notFound).toContain('template does not exist');
    expect(notFound).toContain('`template_name_not_found`');
    const signature = describeCashfreeError(new CashfreeError(403, 'validation_error', 'authentication_failed', 'x-cf-signature missing in the request header'));
    expect(signature).toContain('CASHFREE_PUBLIC_KEY_PATH');
    const odd = describeCashfreeError(new CashfreeError(418, 'x', 'teapot', 'short and stout'));
    expect(odd).toContain('short and stout');
  });

  it('tells the agent to invite the bot when it is not in the channel', () => {
    expect(describeSlackError('not_in_channel')).toContain('/invite');
    expect(describeSlackError('weird_error')).toContain('`weird_error`');
  });

  it('lists every subcommand in help', () => {
    const help = helpText('Tpl');
    for (const word of ['link', 'track', 'status', 'untrack', 'list', 'history', 'help']) expect(help).toContain(`/kyc ${word}`);
    expect(help).toContain('`Tpl`');
  });
});
