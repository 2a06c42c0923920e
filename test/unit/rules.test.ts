import { describe, expect, it } from 'vitest';
import { channelWants, classesOf, parseRule, ruleMatches, ruleText, sameRule, type Rule, type RuleFacts } from '../../src/vkyc/rules.js';

function rule(text: string): Rule {
  const parsed = parseRule(text === '' ? [] : text.split(' '));
  if (!parsed.ok) throw new Error(`not a rule: ${text}`);
  return parsed.rule;
}

const REJECTED = { status: 'REJECTED', subStatus: 'AUDITOR_REJECTED' };
const APPROVED = { status: 'AUDITOR_REVIEWED', subStatus: 'AUDITOR_APPROVED' };
const EXPIRED = { status: 'EXPIRED', subStatus: 'VKYC_EXPIRED' };
const QUEUED = { status: 'PRE_VIDEO_CALL', subStatus: 'USER_QUEUED' };

function facts(state: RuleFacts['state'], extra: Partial<Omit<RuleFacts, 'state'>> = {}): RuleFacts {
  return { state, templates: [], people: [], ...extra };
}

describe('channel rules: reading the words', () => {
  it('reads classes, templates and people, each negatable, into canonical words', () => {
    const parsed = parseRule(['rejected', 'Expiries', '-template:Aadhaar_verification', 'by:<@U0ASHA|asha>', '-by:<@U0BEN>']);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(ruleText(parsed.rule)).toBe('rejected expiries -template:Aadhaar_verification by:U0ASHA -by:U0BEN');
    // What is stored reads back as the same rule.
    expect(sameRule(rule(ruleText(parsed.rule)), parsed.rule)).toBe(true);
  });
  it('keeps `all` and no words as a rule that matches everything, and drops repeated terms', () => {
    expect(rule('all').terms).toEqual([]);
    expect(rule('').terms).toEqual([]);
    expect(rule('rejected rejected').terms).toHaveLength(1);
    expect(sameRule(rule('rejected expiries'), rule('expiries rejected'))).toBe(true);
    expect(sameRule(rule('rejected'), rule('-rejected'))).toBe(false);
  });
  it('names the first word it cannot read', () => {
    expect(parseRule(['rejected', 'rejectd'])).toEqual({ ok: false, error: { problem: 'unknown_filter', word: 'rejectd' } });
    expect(parseRule(['colour:red'])).toEqual({ ok: false, error: { problem: 'unknown_filter', word: 'colour:red' } });
    expect(parseRule(['template:'])).toEqual({ ok: false, error: { problem: 'bad_template', word: 'template:' } });
    expect(parseRule(['template:bad/name'])).toEqual({ ok: false, error: { problem: 'bad_template', word: 'template:bad/name' } });
    expect(parseRule(['by:@asha'])).toEqual({ ok: false, error: { problem: 'bad_person', word: 'by:@asha' } });
    expect(parseRule(['all', 'rejected'])).toEqual({ ok: false, error: { problem: 'unknown_filter', word: 'all' } });
    expect(parseRule(Array.from({ length: 11 }, () => 'rejected'))).toEqual({ ok: false, error: { problem: 'too_many_terms', count: 11 } });
  });
});

describe('channel rules: outcome classes', () => {
  it('puts each state in the classes it belongs to', () => {
    expect([...classesOf(REJECTED)].sort()).toEqual(['failures', 'rejected']);
    expect([...classesOf(APPROVED)]).toEqual(['approved']);
    expect([...classesOf(EXPIRED)]).toEqual(['expiries']);
    expect([...classesOf({ status: 'PRE_VIDEO_CALL', subStatus: 'LINK_GENERATED', finalReason: 'link_expired' })]).toEqual(['expiries']);
    expect([...classesOf({ status: 'PRE_VIDEO_CALL', subStatus: 'USER_MEETING_SCHEDULED' })]).toEqual(['scheduled']);
    expect([...classesOf({ status: 'VIDEO_CALL', subStatus: 'USER_DROPOFF_FROM_CALL' })].sort()).toEqual(['dropoffs', 'failures']);
    expect([...classesOf({ status: 'VIDEO_CALL', subStatus: 'USER_DROPPED_OFF' })].sort()).toEqual(['dropoffs', 'failures']);
    expect([...classesOf({ status: 'PRE_VIDEO_CALL', subStatus: 'USER_PROXY_DETECTED' })]).toEqual([]);
    expect([...classesOf(QUEUED)]).toEqual([]);
  });
});

describe('channel rules: how terms combine', () => {
  it('ORs positive terms of one kind', () => {
    const r = rule('rejected expiries');
    expect(ruleMatches(r, facts(REJECTED))).toBe(true);
    expect(ruleMatches(r, facts(EXPIRED))).toBe(true);
    expect(ruleMatches(r, facts(APPROVED))).toBe(false);
  });
  it('ANDs positive terms of different kinds', () => {
    const r = rule('rejected template:Aadhaar_verification');
    expect(ruleMatches(r, facts(REJECTED, { templates: ['aadhaar_verification'] }))).toBe(true);
    expect(ruleMatches(r, facts(REJECTED, { templates: ['pan_template'] }))).toBe(false);
    expect(ruleMatches(r, facts(APPROVED, { templates: ['Aadhaar_verification'] }))).toBe(false);
  });
  it('lets any negative term that holds exclude', () => {
    const r = rule('rejected expiries -template:Aadhaar_verification');
    expect(ruleMatches(r, facts(REJECTED, { templates: ['vkyc_user', 'Aadhaar_verification'] }))).toBe(false);
    expect(ruleMatches(r, facts(REJECTED, { templates: ['vkyc_user'] }))).toBe(true);
    expect(ruleMatches(rule('-approved'), facts(APPROVED))).toBe(false);
    expect(ruleMatches(rule('-approved'), facts(QUEUED))).toBe(true);
    expect(ruleMatches(rule('-by:U0ASHA'), facts(QUEUED, { people: ['U0ASHA'] }))).toBe(false);
  });
  it('matches an unknown template with no positive template term, and excludes it by no negative one', () => {
    expect(ruleMatches(rule('template:Aadhaar_verification'), facts(REJECTED))).toBe(false);
    expect(ruleMatches(rule('-template:Aadhaar_verification'), facts(REJECTED))).toBe(true);
  });
  it('matches `by:` on who started or tracked it', () => {
    expect(ruleMatches(rule('by:U0ASHA'), facts(QUEUED, { people: ['U0BEN', 'U0ASHA'] }))).toBe(true);
    expect(ruleMatches(rule('by:U0ASHA by:U0CARL'), facts(QUEUED, { people: ['U0BEN'] }))).toBe(false);
  });
  it('opens a card in a channel when any one of its rules matches', () => {
    const rules = [rule('approved'), rule('rejected -by:U0ASHA')];
    expect(channelWants(rules, facts(APPROVED, { people: ['U0ASHA'] }))).toBe(true);
    expect(channelWants(rules, facts(REJECTED, { people: ['U0ASHA'] }))).toBe(false);
    expect(channelWants(rules, facts(REJECTED))).toBe(true);
    expect(channelWants([], facts(REJECTED))).toBe(false);
    expect(channelWants([rule('all')], facts(QUEUED))).toBe(true);
  });
});
