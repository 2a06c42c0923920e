import type { ContextBlock, SectionBlock } from '@slack/types';
import { clip } from '../text/mrkdwn.js';
import { SLACK_LIMITS } from './limits.js';

/** Rows per page of `/kyc list` and `/kyc history`: even at one line per section the page stays far below 50 blocks. */
export const PAGE_SIZE = 20;

/** Which rows a page holds, clamped to the pages that exist. `number` counts from 1. */
import type { Page } from '../text/words.js';

export type { Page } from '../text/words.js';

export function pageOf(total: number, requested: number, size = PAGE_SIZE): Page {
  const pages = Math.max(1, Math.ceil(total / size));
  const number = Math.min(pages, Math.max(1, Math.trunc(requested) || 1));
  const offset = (number - 1) * size;
  return { number, pages, offset, shown: Math.max(0, Math.min(size, total - offset)), total };
}

/**
 * Lines as section blocks, each within Slack's 3,000 characters: lines are never split across sections, so a
 * page shows whole rows. A single line longer than a section (no builder makes one) is clipped alone.
 */
export function sectionsOf(lines: readonly string[]): SectionBlock[] {
  const texts: string[] = [];
  let current = '';
  for (const line of lines) {
    const safe = clip(line, SLACK_LIMITS.text);
    if (current !== '' && current.length + 1 + safe.length > SLACK_LIMITS.text) {
      texts.push(current);
      current = '';
    }
    current = current === '' ? safe : `${current}\n${safe}`;
  }
  if (current !== '') texts.push(current);
  return texts.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

export function contextOf(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: clip(text, SLACK_LIMITS.text) }] };
}
