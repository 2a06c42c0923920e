import fc from 'fast-check';
import { blocksProblems } from '../../sim/slack-block-kit.js';

/**
 * Arbitraries for text a user, Cashfree or an attacker in between could send,
 * and the checks every Slack text the bot builds from it must pass.
 */

/** Pieces that have a meaning somewhere: Slack mrkdwn, mentions, quotes, SQL, control and odd unicode. */
export const FRAGMENTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S123|@team>',
  '<@U123>',
  '<@U123|boss>',
  '<#C123|x>',
  '<#C123>',
  '@channel',
  '@here',
  '@everyone',
  '@CHANNEL',
  '<https://evil.example|click me>',
  '<mailto:a@b.c>',
  '`',
  '```',
  '"',
  '\u201C',
  '\u201D',
  "'",
  '\u2018',
  '\u2019',
  "'; DROP TABLE verifications;--",
  '" OR 1=1 --',
  'Robert\'); DELETE FROM trackings; --',
  '&lt;',
  '&amp;',
  '&',
  '<',
  '>',
  '|',
  '*bold*',
  '_it_',
  '~strike~',
  '> quote',
  ':smile:',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u202e',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ud83d\ude00',
  '\ud83c\uddee\ud83c\uddf3',
  'e\u0301',
  'ref:123',
  'ref:',
  'link',
  'track',
  'help',
  ' ',
  '',
] as const;

const fragment = fc.constantFrom(...FRAGMENTS);

/**
 * Bounds every property run: a failing 4 KB counterexample can take minutes to
 * shrink, so a run that passes its time budget fails instead of stalling the suite.
 */
export const PROPERTY_SETTINGS = { interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true } as const;

/** Any text: arbitrary code points, graphemes, meaningful fragments mixed in, and 4 KB strings. */
export function hostileText(options: { minLength?: number } = {}): fc.Arbitrary<string> {
  const minLength = options.minLength ?? 0;
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 4, arbitrary: fc.array(fc.oneof(fragment, fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 4000, maxLength: 4096 }) },
    { weight: 1, arbitrary: fc.tuple(fragment, fc.integer({ min: 100, max: 1400 })).map(([piece, times]) => (piece || 'x').repeat(times)) },
  );
  return minLength === 0 ? text : text.filter((value) => value.length >= minLength);
}

/** Hostile text that a zod `.trim().min(1)` field would still accept. */
export const hostileNonBlank = hostileText().filter((value) => value.trim().length > 0);

/** Object.prototype keys: a lookup table indexed by wire text must not find these. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'] as const;

export function isPrototypeKey(value: string): boolean {
  return (PROTOTYPE_KEYS as readonly string[]).includes(value);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * Slack's own syntax the bot writes itself: dates, and links to the trusted hosts
 * tests use (also one cut short by the length limit, which Slack shows as plain text).
 */
const BOT_SYNTAX = [
  /<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>]*>/g,
  /<https:\/\/(sim\.slack\.com|forms\.cashfree\.com)\/[^<>]*>/g,
  /<(!date\^|https:\/\/(sim\.slack\.com|forms\.cashfree\.com)\/)[^<>]*…$/,
];

export interface MrkdwnOptions {
  /** The `<@U…>` the bot adds itself (the agent who asked, from Slack's payload). */
  trustedMentions?: readonly string[];
  /**
   * Every line holds whole code spans. Holds for texts whose untrusted parts all go
   * through codeSpan; text escaped with escapeMrkdwn may carry a lone backtick,
   * which opens no span (Slack needs a pair on one line).
   */
  balancedCodeSpans?: boolean;
}

/** The problems in one mrkdwn text that echoes untrusted input. */
export function mrkdwnProblems(text: string, options: MrkdwnOptions = {}): string[] {
  const trustedMentions = options.trustedMentions ?? [];
  let rest = text;
  for (const pattern of BOT_SYNTAX) rest = rest.replace(pattern, '');
  for (const user of trustedMentions) rest = rest.split(`<@${user}>`).join('');
  const problems: string[] = [];
  if (/<[!@#]/.test(rest)) problems.push('a live mention or channel link (<!, <@ or <#)');
  if (/@(channel|here|everyone)/i.test(rest)) problems.push('a bare @channel/@here/@everyone');
  if (/<[a-z]+:/i.test(rest)) problems.push('a link the bot did not make');
  if (/[\u0000-\u0008\u000B-\u001F\u007F]/.test(text)) problems.push('a control character');
  if (options.balancedCodeSpans !== true) return problems;
  const lines = rest.split('\n');
  const clipped = rest.endsWith('…');
  lines.forEach((line, index) => {
    const lastOfClipped = clipped && index === lines.length - 1;
    if (!lastOfClipped && (line.match(/`/g) ?? []).length % 2 !== 0) problems.push(`an unbalanced code span on line ${index + 1}`);
  });
  return problems;
}

/**
 * Block Kit the builders make: Slack's documented limits (the simulator's own check, sim/slack-block-kit.ts),
 * and every text in it as safe mrkdwn.
 */
export function blockProblems(blocks: unknown[], trustedMentions: readonly string[] = []): string[] {
  const problems = blocksProblems(blocks, 'message');
  for (const block of blocks) {
    const b = block as { type?: string; text?: { type: string; text: string }; fields?: { type: string; text: string }[]; elements?: { type: string; text: string }[] };
    if (b.type === 'header' && !isWellFormedIfString(b.text?.text)) problems.push('a header with a lone surrogate');
    if (b.type === 'section') {
      if (typeof b.text?.text === 'string') problems.push(...mrkdwnProblems(b.text.text, { trustedMentions }).map((p) => `section text: ${p}`));
      for (const field of b.fields ?? []) {
        if (typeof field.text === 'string') problems.push(...mrkdwnProblems(field.text, { trustedMentions }).map((p) => `field: ${p}`));
      }
    }
    if (b.type === 'context') {
      for (const element of b.elements ?? []) {
        if (typeof element.text === 'string') problems.push(...mrkdwnProblems(element.text, { trustedMentions }).map((p) => `context: ${p}`));
      }
    }
  }
  return problems;
}

/** Every string inside a value, however deep. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
}

function isWellFormedIfString(value: string | undefined): boolean {
  return value === undefined || isWellFormed(value);
}

/** Every problem of a message the bot sends: its text (≤ 3000 as sent) and its blocks. */
export function messageProblems(
  message: { text: string; blocks?: unknown[] },
  options: MrkdwnOptions & { inputWellFormed?: boolean } = {},
): string[] {
  const problems: string[] = [];
  if (typeof message.text !== 'string') return ['a text that is not a string'];
  if (message.text.length > 3000) problems.push(`a text of ${message.text.length} chars (max 3000)`);
  if (options.inputWellFormed !== false && !stringsIn(message).every(isWellFormed)) problems.push('a lone surrogate (the input had none)');
  problems.push(...mrkdwnProblems(message.text, options));
  if (message.blocks !== undefined) problems.push(...blockProblems(message.blocks, options.trustedMentions));
  return problems;
}
