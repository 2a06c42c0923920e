/**
 * The verification ids a Slack message names, for the "Track Video KYCs here" message shortcut. The
 * message text itself is never kept: only what this returns is.
 *
 * What counts, precisely:
 * 1. Slack's markup is read as a person sees it: `<url|label>` is its label; a bare `<url>`, a mention
 *    (`<@U…>`, `<#C…|name>`, `<!here>`) and the escapes `&lt;` `&gt;` `&amp;` count as spaces.
 * 2. The text is cut at whitespace into words. A word with `@` (an email), `://` or `www.` (a link) or
 *    an ISO timestamp is skipped whole: it is never an id, and may be a customer's detail.
 * 3. Each word is cut at every character an id cannot hold (anything but letters, digits, `.`, `_`, `-`
 *    and `:`), so mrkdwn (`*bold*`, `` `code` ``, `~strike~`), brackets, quotes and commas fall away;
 *    `.`, `_` and `-` at either end of a piece are trimmed (an italic `_vk_1_`, a full stop).
 * 4. `ref:<digits>` (1 to 15 digits, any case) is a reference id. Any other piece is cut at `:` too.
 * 5. A verification id is 3 to 50 of Cashfree's id characters (letters, digits, `.`, `_`, `-`) with at
 *    least one letter and one digit: plain words and plain numbers (amounts, phone numbers) are not ids.
 *    Nor are masked numbers (`98xxx10`), ordinals, times and quantities (`2nd`, `10am`, `5min`, `3x`).
 * 6. Each id counts once, in the order it first appears (exact spelling: Cashfree's ids are case-sensitive).
 */

export type MessageId = { verificationId: string } | { referenceId: string };

const SLACK_ANGLE = /<([^<>]*)>/g;
const ESCAPES = /&(?:lt|gt|amp);/g;
const SKIPPED_WORD = /@|:\/\/|www\.|\d{4}-\d{2}-\d{2}T\d/i;
const NOT_ID_CHAR = /[^A-Za-z0-9._:-]+/;
const EDGES = /^[._-]+|[._-]+$/g;
const REFERENCE = /^ref:(\d{1,15})$/i;
const VERIFICATION_ID = /^[A-Za-z0-9._-]{3,50}$/;
const MASKED_NUMBER = /^[\dxX*-]+$/;
const QUANTITY = /^\d+(?:st|nd|rd|th|am|pm|h|hr|hrs|m|min|mins|s|sec|secs|d|k|x|kb|mb|gb|l|cr|rs|inr)$/i;

/** What a person reads of one `<…>` token: a link's label, or nothing. */
function shownPart(inner: string): string {
  const bar = inner.indexOf('|');
  if (inner.startsWith('@') || inner.startsWith('#') || inner.startsWith('!')) return ' ';
  return bar === -1 ? ' ' : ` ${inner.slice(bar + 1)} `;
}

function isVerificationId(piece: string): boolean {
  return (
    VERIFICATION_ID.test(piece) && /[A-Za-z]/.test(piece) && /\d/.test(piece) && !MASKED_NUMBER.test(piece) && !QUANTITY.test(piece)
  );
}

/** The ids one word holds, in order (rules 3 to 5). */
function idsInWord(word: string): MessageId[] {
  const found: MessageId[] = [];
  for (const raw of word.split(NOT_ID_CHAR)) {
    const piece = raw.replace(EDGES, '');
    const reference = REFERENCE.exec(piece);
    if (reference?.[1] !== undefined) {
      found.push({ referenceId: reference[1] });
      continue;
    }
    for (const part of piece.split(':')) {
      const candidate = part.replace(EDGES, '');
      if (isVerificationId(candidate)) found.push({ verificationId: candidate });
    }
  }
  return found;
}

export function describeMessageId(id: MessageId): string {
  return 'verificationId' in id ? id.verificationId : `ref:${id.referenceId}`;
}

/** Every id the message text names, once each, in order of first appearance. */
export function findMessageIds(text: string): MessageId[] {
  const shown = text.replace(SLACK_ANGLE, (_match, inner: string) => shownPart(inner)).replace(ESCAPES, ' ');
  const seen = new Set<string>();
  const ids: MessageId[] = [];
  for (const word of shown.split(/\s+/)) {
    if (word === '' || SKIPPED_WORD.test(word)) continue;
    for (const id of idsInWord(word)) {
      const key = describeMessageId(id);
      if (seen.has(key)) continue;
      seen.add(key);
      ids.push(id);
    }
  }
  return ids;
}

/** An id the modal sends back (a checkbox's value): the same rules, for exactly one id. */
export function readMessageId(value: string): MessageId | undefined {
  const ids = idsInWord(value);
  return ids.length === 1 && ids[0] !== undefined && describeMessageId(ids[0]) === value ? ids[0] : undefined;
}
