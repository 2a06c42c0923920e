import { describe, expect, it } from 'vitest';
import { describeMessageId, findMessageIds, readMessageId } from '../../src/vkyc/message-ids.js';

const ids = (text: string) => findMessageIds(text).map(describeMessageId);

describe('findMessageIds', () => {
  it('finds ids among words, punctuation and mrkdwn, once each, in order', () => {
    expect(ids('Customer says her link expired: vk_1, *vkyc_20261123_1a2b3c*, `VK-77` and (vk_1).')).toEqual(['vk_1', 'vkyc_20261123_1a2b3c', 'VK-77']);
    expect(ids('_vk_italic_9_ ~vk.struck.3~ "vk_quoted_4" vk_end_5.')).toEqual(['vk_italic_9', 'vk.struck.3', 'vk_quoted_4', 'vk_end_5']);
  });

  it('reads reference ids written ref:<digits>, in any case', () => {
    expect(ids('see ref:10449 and REF:7, not ref:abc or ref:')).toEqual(['ref:10449', 'ref:7']);
  });

  it('reads a link as its label, and skips bare links, mentions and escapes', () => {
    expect(ids('<https://dash.example/vk_in_url_1|vk_label_2> <https://dash.example/vk_bare_3> <@U0AGENT> <#C0KYC|kyc> <!here> &lt;vk_4&gt;')).toEqual([
      'vk_label_2',
      'vk_4',
    ]);
  });

  it('never takes emails, links, timestamps, plain numbers or words for ids', () => {
    expect(ids('mail asha.k1@example.in or <mailto:b2@x.in|b2@x.in>, www.site2.in, http://h1.in/x9')).toEqual([]);
    expect(ids('call +91 98765-43210 or 9876543210 about 98xxx10 on 2025-07-21T08:48:09Z')).toEqual([]);
    expect(ids('please check these customers today')).toEqual([]);
    expect(ids('2nd try at 10am, 5min, 3x, 4K, Rs 500')).toEqual([]);
  });

  it('cuts at colons and slashes but keeps Cashfree id characters together', () => {
    expect(ids('id:vk_a1/vk_b2|vk_c3 :white_check_mark: :100:')).toEqual(['vk_a1', 'vk_b2', 'vk_c3']);
  });

  it('bounds an id at 3 to 50 characters', () => {
    const long = `v${'1'.repeat(50)}`;
    expect(ids(`a1 ab1 ${long} v${'1'.repeat(49)}`)).toEqual(['ab1', `v${'1'.repeat(49)}`]);
  });
});

describe('readMessageId', () => {
  it('accepts exactly one id as the rules find it, and nothing else', () => {
    expect(readMessageId('vk_1')).toEqual({ verificationId: 'vk_1' });
    expect(readMessageId('ref:12')).toEqual({ referenceId: '12' });
    expect(readMessageId('vk_1 vk_2')).toBeUndefined();
    expect(readMessageId('*vk_1*')).toBeUndefined();
    expect(readMessageId('9876543210')).toBeUndefined();
  });
});
