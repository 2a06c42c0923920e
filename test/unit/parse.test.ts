import { describe, expect, it } from 'vitest';
import { parseCommand, tokenize } from '../../src/listeners/commands/parse.js';

describe('parseCommand', () => {
  it('reads help from empty text and "help"', () => {
    expect(parseCommand('')).toEqual({ kind: 'help' });
    expect(parseCommand('   ')).toEqual({ kind: 'help' });
    expect(parseCommand('HELP')).toEqual({ kind: 'help' });
  });

  it('reads link with and without a template', () => {
    expect(parseCommand('link')).toEqual({ kind: 'link', template: undefined });
    expect(parseCommand('link  pan.kyc-v2_1 ')).toEqual({ kind: 'link', template: 'pan.kyc-v2_1' });
    expect(parseCommand('link "Aadhaar_verification"')).toEqual({ kind: 'link', template: 'Aadhaar_verification' });
  });

  it('refuses template names Cashfree would refuse', () => {
    for (const bad of ['a b', 'x/y', '<!channel>', 'é', 'a'.repeat(101)]) {
      const parsed = parseCommand(`link "${bad}"`);
      expect(parsed.kind).toBe('invalid');
    }
  });

  it('reads verification ids and ref: targets', () => {
    expect(parseCommand('track vk_1')).toEqual({ kind: 'track', target: { verificationId: 'vk_1' } });
    expect(parseCommand('status ref:1358')).toEqual({ kind: 'status', target: { referenceId: '1358' } });
    expect(parseCommand('untrack vk-2.a')).toEqual({ kind: 'untrack', target: { verificationId: 'vk-2.a' } });
    expect(parseCommand('history REF:7')).toEqual({ kind: 'history', target: { referenceId: '7' } });
  });

  it('says what is wrong: missing, extra, malformed, unknown, unbalanced', () => {
    const messageOf = (text: string) => {
      const parsed = parseCommand(text);
      return parsed.kind === 'invalid' ? parsed.message : '';
    };
    expect(messageOf('track')).toContain('missing');
    expect(messageOf('track a b')).toContain('Too many');
    expect(messageOf('list now')).toContain('Too many');
    expect(messageOf('track ' + 'x'.repeat(51))).toContain('not a valid verification id');
    expect(messageOf('track ref:abc')).toContain('not a valid verification id');
    expect(messageOf('link "open')).toContain('quote');
    const unknown = parseCommand('dance');
    expect(unknown).toMatchObject({ kind: 'invalid', showUsage: true });
  });
});

describe('parseCommand: channel rules and settings', () => {
  it('reads subscribe filters into a rule, unsubscribe with or without a number, and settings', () => {
    const parsed = parseCommand('subscribe rejected -template:Aadhaar_verification by:<@U0ASHA|asha>');
    expect(parsed).toEqual({
      kind: 'subscribe',
      rule: {
        terms: [
          { kind: 'class', value: 'rejected', negated: false },
          { kind: 'template', value: 'Aadhaar_verification', negated: true },
          { kind: 'by', value: 'U0ASHA', negated: false },
        ],
      },
    });
    expect(parseCommand('subscribe')).toEqual({ kind: 'subscribe', rule: { terms: [] } });
    expect(parseCommand('unsubscribe')).toEqual({ kind: 'unsubscribe', which: undefined });
    expect(parseCommand('unsubscribe 2')).toEqual({ kind: 'unsubscribe', which: '2' });
    expect(parseCommand('unsubscribe 2 3')).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('settings')).toEqual({ kind: 'settings' });
    expect(parseCommand('settings now')).toMatchObject({ kind: 'invalid' });
  });
  it('names the valid filters when one is mistyped', () => {
    const parsed = parseCommand('subscribe approvd');
    expect(parsed.kind).toBe('invalid');
    const message = parsed.kind === 'invalid' ? parsed.message : '';
    for (const word of ['`approvd` is not a filter', '`failures`', '`dropoffs`', '`expiries`', '`approved`', '`rejected`', '`scheduled`', '`template:<name>`', '`by:@person`']) {
      expect(message).toContain(word);
    }
  });
});

describe('tokenize', () => {
  it('groups quoted words, straight or curly', () => {
    expect(tokenize('a "b c" d')).toEqual(['a', 'b c', 'd']);
    expect(tokenize('a \u201Cb c\u201D')).toEqual(['a', 'b c']);
    expect(tokenize('""')).toEqual(['']);
    expect(tokenize('"x')).toBeUndefined();
  });
});
