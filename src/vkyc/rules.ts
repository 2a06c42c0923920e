/**
 * Channel rules (`/kyc subscribe …`): what a rule says, how its words are read, and whether a verification
 * matches it. No I/O, no clock of its own.
 *
 * How a rule decides, for one verification:
 * - its terms are grouped by kind: outcome classes, `template:`, `by:`;
 * - positive terms of the same kind OR (`rejected expiries`: rejected, or expired);
 * - positive terms of different kinds AND (`rejected template:X`: rejected, and started with template X);
 * - a kind without positive terms does not narrow the rule;
 * - any negative term that holds excludes the verification (`-template:X`: never one started with X);
 * - a rule without terms matches every verification.
 * A channel opens a card for a verification as soon as any one of its rules matches it.
 *
 * A template is known only for verifications started with `/kyc vkyc` (Cashfree's status answers and webhooks
 * do not carry one); `template:X` matches either the user or the agent template. An unknown template matches
 * no positive `template:` term and is excluded by no negative one.
 */
import type { ObservedState } from './lifecycle.js';
import { outcomeOf } from './phases.js';
import { isFailure } from './push.js';

export const OUTCOME_CLASSES = ['failures', 'dropoffs', 'expiries', 'approved', 'rejected', 'scheduled'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

export type Term =
  | { kind: 'class'; value: OutcomeClass; negated: boolean }
  | { kind: 'template'; value: string; negated: boolean }
  | { kind: 'by'; value: string; negated: boolean };

export interface Rule {
  terms: Term[];
}

/** What a rule can know about a verification. */
export interface RuleFacts {
  state: ObservedState & { finalReason?: string | null | undefined };
  /** The user and agent templates it was started with; empty when unknown. */
  templates: readonly string[];
  /** Who started it (`/kyc vkyc`) or tracked it (`/kyc track`), as Slack user ids. */
  people: readonly string[];
}

/** The most terms one rule may have: a longer one is almost surely a mistake, and keeps the list readable. */
export const MAX_RULE_TERMS = 10;
const TEMPLATE = /^[A-Za-z0-9._-]{1,100}$/;
/** A user as an escaped slash command carries it: `<@U123>` or `<@U123|name>`. */
const MENTION = /^<@([UW][A-Z0-9]{2,30})(?:\|[^>]*)?>$/;
const USER_ID = /^[UW][A-Z0-9]{2,30}$/;

export type RuleProblem =
  | { problem: 'unknown_filter'; word: string }
  | { problem: 'bad_template'; word: string }
  | { problem: 'bad_person'; word: string }
  | { problem: 'too_many_terms'; count: number };

/** Reads a rule's words (`rejected -template:X by:<@U1|ann>`); the first mistake is named. */
export function parseRule(words: readonly string[]): { ok: true; rule: Rule } | { ok: false; error: RuleProblem } {
  if (words.length > MAX_RULE_TERMS) return { ok: false, error: { problem: 'too_many_terms', count: words.length } };
  // `all` alone is today's `/kyc subscribe all`: a rule without terms.
  if (words.length === 1 && words[0]?.toLowerCase() === 'all') return { ok: true, rule: { terms: [] } };
  const terms: Term[] = [];
  for (const word of words) {
    const term = parseTerm(word);
    if ('problem' in term) return { ok: false, error: term };
    if (!terms.some((t) => sameTerm(t, term))) terms.push(term);
  }
  return { ok: true, rule: { terms } };
}

function parseTerm(word: string): Term | RuleProblem {
  const negated = word.startsWith('-');
  const body = negated ? word.slice(1) : word;
  const colon = body.indexOf(':');
  const key = (colon < 0 ? body : body.slice(0, colon)).toLowerCase();
  const value = colon < 0 ? '' : body.slice(colon + 1);
  if (colon < 0) {
    const cls = OUTCOME_CLASSES.find((c) => c === key);
    return cls === undefined ? { problem: 'unknown_filter', word } : { kind: 'class', value: cls, negated };
  }
  if (key === 'template') return TEMPLATE.test(value) ? { kind: 'template', value, negated } : { problem: 'bad_template', word };
  if (key === 'by') {
    const id = MENTION.exec(value)?.[1] ?? (USER_ID.test(value) ? value : undefined);
    return id === undefined ? { problem: 'bad_person', word } : { kind: 'by', value: id, negated };
  }
  return { problem: 'unknown_filter', word };
}

function sameTerm(a: Term, b: Term): boolean {
  return a.kind === b.kind && a.negated === b.negated && a.value.toLowerCase() === b.value.toLowerCase();
}

/** A rule's canonical words, as stored and as `/kyc subscriptions` shows them (people as `by:U123`). */
export function ruleText(rule: Rule): string {
  return rule.terms.map((t) => `${t.negated ? '-' : ''}${t.kind === 'class' ? t.value : `${t.kind}:${t.value}`}`).join(' ');
}

/** Two rules that decide alike (the same terms, in any order). */
export function sameRule(a: Rule, b: Rule): boolean {
  return a.terms.length === b.terms.length && a.terms.every((t) => b.terms.some((u) => sameTerm(t, u)));
}

/** The outcome classes a state belongs to (a state may be in several: a rejection is also a failure). */
export function classesOf(state: RuleFacts['state']): Set<OutcomeClass> {
  const classes = new Set<OutcomeClass>();
  const sub = state.subStatus.toUpperCase();
  const status = state.status.toUpperCase();
  const outcome = outcomeOf(state.status, state.subStatus, state.finalReason ?? null);
  const droppedOff = /DROP_?OFF|DROPPED/.test(sub);
  // A drop-off is a failure too, whichever way Cashfree spells it (`failures` has always included DROPOFF).
  if (isFailure(state) || droppedOff) classes.add('failures');
  if (droppedOff) classes.add('dropoffs');
  if (outcome === 'expired') classes.add('expiries');
  if (outcome === 'approved') classes.add('approved');
  if (status === 'REJECTED' || /REJECTED$/.test(sub)) classes.add('rejected');
  if (sub === 'USER_MEETING_SCHEDULED') classes.add('scheduled');
  return classes;
}

function holds(term: Term, facts: RuleFacts, classes: Set<OutcomeClass>): boolean {
  switch (term.kind) {
    case 'class':
      return classes.has(term.value);
    case 'template':
      return facts.templates.some((t) => t.toLowerCase() === term.value.toLowerCase());
    case 'by':
      return facts.people.includes(term.value);
  }
}

/** Whether one rule matches a verification (see the top of this file). */
export function ruleMatches(rule: Rule, facts: RuleFacts): boolean {
  const classes = classesOf(facts.state);
  if (rule.terms.some((t) => t.negated && holds(t, facts, classes))) return false;
  for (const kind of ['class', 'template', 'by'] as const) {
    const positives = rule.terms.filter((t) => t.kind === kind && !t.negated);
    if (positives.length > 0 && !positives.some((t) => holds(t, facts, classes))) return false;
  }
  return true;
}

/** Whether a channel with these rules wants a card for the verification: any rule matching is enough. */
export function channelWants(rules: readonly Rule[], facts: RuleFacts): boolean {
  return rules.some((rule) => ruleMatches(rule, facts));
}
