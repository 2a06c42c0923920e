import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, codeSpan, escapeMrkdwn, slackLink } from '../../src/text/mrkdwn.js';
import { PROPERTY_SETTINGS, hostileText, isWellFormed, mrkdwnProblems } from '../helpers/hostile.js';

fc.configureGlobal(PROPERTY_SETTINGS);

/** The mrkdwn escaping every echo of outside text goes through. */

/** Undoes what escapeMrkdwn adds, to compare with what went in. */
function unescapeMrkdwn(text: string): string {
  return text.replace(/@\u200B/g, '@').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;
const maxLength = fc.integer({ min: 1, max: 300 });

describe('escapeMrkdwn', () => {
  it('leaves no mention, link, entity or control character, and keeps the text otherwise intact', () => {
    fc.assert(
      fc.property(hostileText(), maxLength, (text, max) => {
        const out = escapeMrkdwn(text, max);
        expect(mrkdwnProblems(out)).toEqual([]);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(/&(?!amp;|lt;|gt;)/);
        const points = [...text];
        const kept = points.length > max ? points.slice(0, max).join('') + '…' : text;
        expect(unescapeMrkdwn(out)).toBe(kept.replace(CONTROL, '\uFFFD'));
        expect(isWellFormed(out)).toBe(isWellFormed(kept));
      }),
      { numRuns: 1500 },
    );
  });
});

describe('codeSpan', () => {
  it('is one closed code span on one line, whatever it holds', () => {
    fc.assert(
      fc.property(hostileText(), fc.option(maxLength, { nil: undefined }), (text, max) => {
        const out = codeSpan(text, max);
        expect(out).toMatch(/^`[^`\r\n]+`$/);
        expect(mrkdwnProblems(out, { balancedCodeSpans: true })).toEqual([]);
        expect([...out].length).toBeLessThanOrEqual((max ?? 200) * 6 + 3);
      }),
      { numRuns: 1500 },
    );
  });

  it('shows plain ids exactly as typed', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._:-]{1,50}$/), (id) => {
        expect(codeSpan(id)).toBe('`' + id + '`');
      }),
      { numRuns: 300 },
    );
  });
});

describe('slackLink', () => {
  const url = hostileText().map((tail) => `https://forms.cashfree.com/${tail}`);

  it('is one link whose URL cannot end early or carry a second link, mention or line', () => {
    fc.assert(
      fc.property(url, fc.option(hostileText(), { nil: undefined }), (target, label) => {
        const out = slackLink(target, label);
        expect(out.startsWith('<https://forms.cashfree.com/')).toBe(true);
        expect(out.endsWith('>')).toBe(true);
        const inner = out.slice(1, -1);
        expect(inner).not.toMatch(/[<>]/);
        // Slack splits a link at its first `|`: the URL is before it, the label (which may hold more) after.
        const split = inner.indexOf('|');
        const address = split === -1 ? inner : inner.slice(0, split);
        expect(split === -1).toBe(label === undefined);
        expect(address).not.toMatch(/[\s\u0000-\u001F\u007F]/);
        if (label !== undefined) expect(mrkdwnProblems(inner.slice(split + 1))).toEqual([]);
      }),
      { numRuns: 800 },
    );
  });
});

describe('clip', () => {
  it('stays within the limit, keeps short text as it is, and never splits a character in two', () => {
    fc.assert(
      fc.property(hostileText(), fc.integer({ min: 2, max: 5000 }), (text, limit) => {
        const out = clip(text, limit);
        expect(out.length).toBeLessThanOrEqual(limit);
        if (text.length <= limit) expect(out).toBe(text);
        else {
          expect(out.endsWith('…')).toBe(true);
          expect(text.startsWith(out.slice(0, -1))).toBe(true);
        }
        if (isWellFormed(text)) expect(isWellFormed(out)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('never splits an emoji at the 3000-character limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2990, max: 3010 }), (offset) => {
        const text = 'x'.repeat(offset) + '\u{1F600}'.repeat(20);
        expect(isWellFormed(clip(text, 3000))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
