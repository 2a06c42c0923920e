/**
 * Makes user-typed text safe to echo in a Slack message: no mentions, no
 * channel-wide pings, no links, no breaking out of a code span, bounded length.
 */
export function escapeMrkdwn(text: string, maxLength = 200): string {
  const clipped = [...text].length > maxLength ? [...text].slice(0, maxLength).join('') + '…' : text;
  return clipped
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)/gi, '@\u200B$1')
    .replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '\uFFFD');
}

/** User text shown inside a code span: escaped, and unable to close the span. */
export function codeSpan(text: string, maxLength = 200): string {
  const safe = escapeMrkdwn(text, maxLength).replace(/`/g, "'").replace(/[\r\n]+/g, ' ');
  return '`' + (safe === '' ? ' ' : safe) + '`';
}

/** A URL as a clickable Slack link; the characters that would end or break the link are percent-encoded. */
export function slackLink(url: string, label?: string): string {
  const safeUrl = url.replace(/[|<>\s\u0000-\u001F\u007F]/g, (char) => encodeURIComponent(char));
  return label === undefined ? `<${safeUrl}>` : `<${safeUrl}|${escapeMrkdwn(label)}>`;
}

/** Slack truncates and rejects long texts; keep every text under its limit. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  // Never end on the first half of a surrogate pair: an emoji cut in two is not valid text.
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut) + '…';
}

/**
 * A sentence written for a Slack message, as plain text for a place that shows no mrkdwn (a workflow step's
 * error): without emoji codes and code-span backticks.
 */
export function plainText(text: string): string {
  return text
    .replace(/(^|\s):[a-z0-9_+-]+:\s*/g, '$1')
    .replace(/`/g, '')
    .trim();
}
