import { verificationFromRow } from '../../src/store/store.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CashfreeError, type StaticLink, type VkycState } from '../../src/cashfree/schemas.js';
import { viewRefusal } from '../../sim/slack-block-kit.js';
import { changeReply, linkComment, parentCard, statusMessage } from '../../src/slack/blocks.js';
import { digestMessage } from '../../src/slack/digest.js';
import { homeView, teamCounts } from '../../src/slack/home-view.js';
import { clip } from '../../src/text/mrkdwn.js';
import { historyLine, historyPage, listedLine, listPage } from '../../src/slack/list-pages.js';
import { PAGE_SIZE, pageOf } from '../../src/slack/paging.js';
import type { ListedTracking } from '../../src/store/pages.js';
import type { OutcomeRow, TrackedState } from '../../src/store/reports.js';
import type { ChangeRow, HistoryEntry, TrackingRow, VerificationRow } from '../../src/store/store.js';
import { describeCashfreeError, describeSlackError, helpText, say } from '../../src/text/words.js';
import {
  PROPERTY_SETTINGS,
  PROTOTYPE_KEYS,
  hostileNonBlank,
  hostileText,
  isPrototypeKey,
  isWellFormed,
  messageProblems,
  mrkdwnProblems,
  stringsIn,
} from '../helpers/hostile.js';

/**
 * Every message the bot builds from Cashfree's data or an agent's typing:
 * nothing throws, Slack's limits hold, and echoed text pings nobody.
 */
fc.configureGlobal(PROPERTY_SETTINGS);

const AGENT = 'U0AGENT';
const PERMALINK = 'https://sim.slack.com/archives/C0KYC/p1700000000000100';

/** What Cashfree's status fields can hold after the schema (trimmed; prototype keys are a known bug, tested below). */
const statusCode = hostileNonBlank.map((s) => s.trim()).filter((s) => s !== '' && !isPrototypeKey(s));
const subStatusCode = hostileText().map((s) => s.trim()).filter((s) => !isPrototypeKey(s));
const when = fc.integer({ min: 0, max: 4_102_444_800_000 });
const dateText = fc.oneof(
  fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  hostileText(),
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const nullable = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });

const vkycState: fc.Arbitrary<VkycState> = fc.record({
  verificationId: hostileNonBlank,
  referenceId: optional(fc.oneof(fc.integer(), fc.constant(Number.MAX_SAFE_INTEGER))),
  userId: optional(hostileNonBlank),
  status: statusCode,
  subStatus: subStatusCode,
  linkExpiry: optional(dateText),
  meetingSchedule: optional(dateText),
  hasRecording: fc.boolean(),
});

const changeRow: fc.Arbitrary<ChangeRow> = fc.record({
  id: fc.nat(),
  verification_id: hostileNonBlank,
  status: statusCode,
  sub_status: subStatusCode,
  previous_status: nullable(statusCode),
  previous_sub_status: nullable(subStatusCode),
  meeting_schedule: nullable(dateText),
  has_recording: fc.constantFrom(0, 1),
  final_reason: fc.constantFrom(null, 'terminal' as const, 'link_expired' as const),
  observed_at: when,
});

const verificationRow: fc.Arbitrary<VerificationRow> = fc.record({
  verification_id: hostileNonBlank,
  reference_id: nullable(fc.integer()),
  user_id: nullable(hostileNonBlank),
  status: statusCode,
  sub_status: subStatusCode,
  link_expiry: nullable(dateText),
  meeting_schedule: nullable(dateText),
  has_recording: fc.constantFrom(0, 1),
  observed_at: when,
  next_poll_at: nullable(when),
  attempts: fc.nat(),
  last_error: nullable(hostileText()),
  changed_at: nullable(when),
  urgent: fc.constantFrom(0, 1),
  pushed_at: fc.option(fc.integer({ min: 0, max: 2_000_000_000_000 }), { nil: null }),
});

const trackingRow: fc.Arbitrary<TrackingRow> = fc.record({
  id: fc.nat(),
  verification_id: hostileNonBlank,
  team_id: nullable(fc.constant('T0SIM')),
  channel_id: fc.constant('C0KYC'),
  parent_ts: nullable(fc.constant('1700000000.000100')),
  thread_ts: nullable(fc.constant('1700000000.000050')),
  permalink: nullable(fc.constant(PERMALINK)),
  tracked_by: fc.constant(AGENT),
  tracked_at: when,
  parent_stale: fc.constantFrom(0, 1),
  ended_at: nullable(when),
});

const listedRow: fc.Arbitrary<ListedTracking> = fc.tuple(trackingRow, verificationRow).map(([t, v]) => ({
  verification_id: t.verification_id,
  status: v.status,
  sub_status: v.sub_status,
  permalink: t.permalink,
  tracked_by: t.tracked_by,
  tracked_at: t.tracked_at,
  changed_at: v.changed_at,
  check_failed: v.last_error === null ? 0 : 1,
}));
const historyEntry: fc.Arbitrary<HistoryEntry> = fc.tuple(changeRow, nullable(when)).map(([c, posted]) => ({ ...c, first_posted_at: posted }));

const trackedState: fc.Arbitrary<TrackedState> = fc.record({
  tracking_id: fc.nat(),
  verification_id: hostileNonBlank,
  channel_id: fc.constant('C0KYC'),
  parent_ts: fc.constant('1700000000.000100'),
  thread_ts: nullable(fc.constant('1700000000.000050')),
  permalink: nullable(fc.constant(PERMALINK)),
  tracked_by: fc.constant(AGENT),
  status: statusCode,
  sub_status: subStatusCode,
  link_expiry: nullable(dateText),
  since: when,
});
const outcomeRow: fc.Arbitrary<OutcomeRow> = fc.record({
  verification_id: hostileNonBlank,
  permalink: nullable(fc.constant(PERMALINK)),
  status: statusCode,
  sub_status: subStatusCode,
  final_reason: fc.constantFrom(null, 'terminal', 'link_expired'),
  observed_at: when,
});

/** Whether all the strings that went in were valid UTF-16 (a lone surrogate in, a lone surrogate out is not the builder's fault). */
const wellFormed = (...inputs: unknown[]) => inputs.flatMap(stringsIn).every(isWellFormed);

describe('Block Kit builders (src/slack/blocks.ts)', () => {
  it('parentCard: limits hold and nothing echoed is live, for any state', () => {
    fc.assert(
      fc.property(vkycState, when, optional(fc.constantFrom('tracking ended', 'tracking stopped')), (state, at, ended) => {
        const card = parentCard(state, AGENT, at, ended);
        expect(messageProblems(card, { trustedMentions: [AGENT], inputWellFormed: wellFormed(state) })).toEqual([]);
        expect(card.blocks?.[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
      }),
      { numRuns: 1000 },
    );
  });

  it('changeReply: one reply per change within limits', () => {
    fc.assert(
      fc.property(changeRow, (change) => {
        const reply = changeReply(change);
        expect(messageProblems(reply, { inputWellFormed: wellFormed(change) })).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('statusMessage: within limits for any state, tracked here or not', () => {
    fc.assert(
      fc.property(vkycState, optional(trackingRow), (state, tracking) => {
        const message = statusMessage(state, tracking);
        expect(messageProblems(message, { inputWellFormed: wellFormed(state) })).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('linkComment: the link stays one link and the rest is inert', () => {
    const link: fc.Arbitrary<StaticLink> = fc.record({
      link: hostileText().map((tail) => `https://forms.cashfree.com/verification/${tail}`),
      status: hostileText(),
      templateName: hostileNonBlank,
    });
    fc.assert(
      fc.property(link, (l) => {
        const text = linkComment(l, AGENT);
        expect(messageProblems({ text }, { trustedMentions: [AGENT], balancedCodeSpans: true, inputWellFormed: wellFormed(l) })).toEqual([]);
        expect(text.match(/<https:\/\/forms\.cashfree\.com\//g) ?? []).toHaveLength(1);
      }),
      { numRuns: 500 },
    );
  });

  it('listPage and historyPage: within limits for any rows, every row shown whole', () => {
    const sectionText = (blocks: unknown[] | undefined) => JSON.stringify(blocks?.map((b) => (b as { text?: { text?: string } }).text?.text));
    fc.assert(
      fc.property(
        fc.array(listedRow, { minLength: 1, maxLength: PAGE_SIZE }),
        fc.array(historyEntry, { minLength: 1, maxLength: PAGE_SIZE }),
        hostileNonBlank,
        fc.nat({ max: 5_000 }),
        fc.nat({ max: 300 }),
        (rows, entries, id, more, requested) => {
          const listed = pageOf(rows.length + more, requested);
          const list = listPage({ ...listed, shown: rows.length }, rows);
          expect(messageProblems(list, { balancedCodeSpans: true, inputWellFormed: wellFormed(rows) })).toEqual([]);
          for (const row of rows) expect(sectionText(list.blocks)).toContain(JSON.stringify(clip(listedLine(row), 3_000)).slice(1, -1));
          const seen = pageOf(entries.length + more, requested);
          const history = historyPage(id, { ...seen, shown: entries.length }, entries);
          expect(messageProblems(history, { balancedCodeSpans: true, inputWellFormed: wellFormed(id, entries) })).toEqual([]);
          for (const entry of entries) expect(sectionText(history.blocks)).toContain(JSON.stringify(clip(historyLine(entry), 3_000)).slice(1, -1));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('homeView and digestMessage: within limits for any rows, however many', () => {
    fc.assert(
      fc.property(fc.array(trackedState, { maxLength: 80 }), fc.array(outcomeRow, { maxLength: 40 }), when, (mine, outcomes, now) => {
        expect(viewRefusal(homeView(mine, teamCounts(mine, outcomes.length)))).toBeUndefined();
        const digest = digestMessage({ tracked: mine, outcomes, sinceMs: 0, nowMs: now, stuckAfterMs: 1_800_000 });
        if (digest !== undefined) expect(messageProblems(digest, { inputWellFormed: wellFormed(mine, outcomes) })).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('a parent card rendered from any stored row stays within limits', () => {
    fc.assert(
      fc.property(verificationRow, (row) => {
        const state = verificationFromRow(row);
        expect(state.verificationId).toBe(row.verification_id);
        expect(state.hasRecording).toBe(row.has_recording === 1);
        const card = parentCard(state, AGENT, row.observed_at, 'tracking stopped');
        expect(messageProblems(card, { trustedMentions: [AGENT], inputWellFormed: wellFormed(row) })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sentences (src/text.ts)', () => {
  it('every say.* with hostile words: within 3000 chars, one-line code spans, no pings', () => {
    fc.assert(
      fc.property(hostileText(), hostileText(), hostileText(), fc.boolean(), fc.nat({ max: 100_000 }), (a, b, c, withLink, seconds) => {
        const permalink = withLink ? PERMALINK : null;
        const sentences = [
          say.unknownSubcommand(a),
          say.tooManyArguments('/kyc link [template]'),
          say.missingArgument('/kyc track <verification_id | ref:reference_id>'),
          say.badTemplate(a),
          say.badVerificationId(a),
          say.unbalancedQuote,
          say.creatingLink(a),
          say.linkPosted(a),
          say.working,
          say.looking,
          say.fetchingStatus(a),
          say.alreadyTracked(a, permalink),
          say.nowTracking(a, permalink),
          say.alreadyFinal(a, b, c),
          say.notTracked(a),
          say.untracked(a),
          say.untrackedInThread(AGENT),
          say.nothingTracked,
          say.noHistory(a),
          say.refused,
          say.budgetExhausted(seconds),
          say.internalError,
          say.shuttingDown,
          say.historyTitle(a, seconds),
          say.historySummary(a, pageOf(seconds + 1, 2)),
          say.historyCsvComment(a, seconds),
          say.listSummary(pageOf(seconds, 3)),
          say.shown(pageOf(seconds, 4), 'newest first'),
          say.buttonUnreadable,
          say.csvSent,
        ];
        for (const text of sentences) {
          expect(messageProblems({ text }, { trustedMentions: [AGENT], balancedCodeSpans: true, inputWellFormed: wellFormed(a, b, c) })).toEqual([]);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('helpText for any valid default template', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/), (template) => {
        expect(messageProblems({ text: helpText(template) }, { balancedCodeSpans: true })).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('describeSlackError: any error code Slack could send', () => {
    fc.assert(
      fc.property(hostileText().filter((code) => !isPrototypeKey(code)), (code) => {
        expect(messageProblems({ text: describeSlackError(code) }, { balancedCodeSpans: true, inputWellFormed: wellFormed(code) })).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('describeCashfreeError: never throws and stays inert for any status, type and code', () => {
    const status = fc.oneof(fc.constantFrom(0, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503), fc.integer({ min: 100, max: 599 }));
    const code = fc.oneof(
      fc.constantFrom('template_name_not_found', 'insufficient_balance', 'authentication_failed', 'timeout', 'unexpected_response'),
      hostileText().filter((c) => !isPrototypeKey(c)),
    );
    const plainMessage = fc.stringMatching(/^[A-Za-z0-9 .,:-]{0,200}$/);
    fc.assert(
      fc.property(status, hostileText(), code, plainMessage, (s, type, c, message) => {
        const text = describeCashfreeError(new CashfreeError(s, type, c, message));
        expect(messageProblems({ text }, { balancedCodeSpans: true, inputWellFormed: wellFormed(c) })).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

/** Inputs that once broke the builders: Cashfree's own error text, and codes named like Object.prototype keys. */
describe('regressions', () => {
  const hostileMessages = ['<!channel> call me', 'see <https://evil.example|your account>', '@here urgent', 'x'.repeat(4000)];

  it('describeCashfreeError escapes and bounds Cashfree\'s error message', () => {
    for (const message of hostileMessages) {
      for (const status of [404, 400]) {
        const text = describeCashfreeError(new CashfreeError(status, 'validation_error', 'odd_code', message));
        expect(mrkdwnProblems(text)).toEqual([]);
        expect(text.length).toBeLessThanOrEqual(1_000);
      }
    }
  });

  it('a status or sub-status named like an Object.prototype key is shown as data', () => {
    for (const key of PROTOTYPE_KEYS) {
      const state: VkycState = {
        verificationId: 'vkyc_1',
        referenceId: undefined,
        userId: undefined,
        status: key,
        subStatus: key,
        linkExpiry: undefined,
        meetingSchedule: undefined,
        hasRecording: false,
      };
      const card = parentCard(state, AGENT, 0);
      expect(JSON.stringify(card)).not.toMatch(/function |\[object /);
    }
  });

  it('a Cashfree or Slack error code named like an Object.prototype key gets the generic sentence', () => {
    for (const key of PROTOTYPE_KEYS) {
      expect(describeCashfreeError(new CashfreeError(400, 'validation_error', key, 'm'))).not.toMatch(/function |\[object /);
      expect(describeSlackError(key)).not.toMatch(/function |\[object /);
    }
  });
});
