import { say, sayRules } from '../../text/words.js';
import { MAX_RULE_TERMS, parseRule, type Rule, type RuleProblem } from '../../vkyc/rules.js';
import { parseTarget, type Target } from '../target.js';

export { describeTarget, parseTarget, type Target } from '../target.js';

export type Command =
  | { kind: 'help' }
  | { kind: 'link'; template: string | undefined }
  | { kind: 'track' | 'status' | 'untrack' | 'history'; target: Target }
  | { kind: 'list' | 'subscriptions' | 'settings' }
  | { kind: 'subscribe'; rule: Rule }
  /** `which` is the rule's number as `/kyc subscriptions` shows it; undefined removes them all. */
  | { kind: 'unsubscribe'; which: string | undefined }
  | { kind: 'vkyc' }
  | { kind: 'find'; phone: string }
  | { kind: 'invalid'; message: string; showUsage: boolean };

export const TEMPLATE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

const USAGE = {
  link: '/kyc link [template]',
  track: '/kyc track <verification_id | ref:reference_id>',
  status: '/kyc status <verification_id | ref:reference_id>',
  untrack: '/kyc untrack <verification_id | ref:reference_id>',
  history: '/kyc history <verification_id | ref:reference_id>',
  list: '/kyc list',
  subscribe: '/kyc subscribe [filters]',
  unsubscribe: '/kyc unsubscribe [n]',
  subscriptions: '/kyc subscriptions',
  settings: '/kyc settings',
  vkyc: '/kyc vkyc',
  find: '/kyc find <phone>',
  help: '/kyc help',
} as const;

/** Splits on whitespace; straight or curly double quotes group words. Undefined when a quote is left open. */
export function tokenize(text: string): string[] | undefined {
  const tokens: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (const char of text) {
    if (char === '"' || char === '\u201C' || char === '\u201D') {
      quoted = !quoted;
      started = true;
    } else if (!quoted && /\s/.test(char)) {
      if (started) tokens.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quoted) return undefined;
  if (started) tokens.push(current);
  return tokens;
}

/** Reads the text after `/kyc` into a command, or says plainly what is wrong with it. */
export function parseCommand(text: string): Command {
  const tokens = tokenize(text);
  if (tokens === undefined) return { kind: 'invalid', message: say.unbalancedQuote, showUsage: false };
  const [verb = 'help', ...args] = tokens;
  const subcommand = verb.toLowerCase();
  switch (subcommand) {
    case 'help':
      return { kind: 'help' };
    case 'list':
    case 'subscriptions':
    case 'settings':
      return args.length === 0 ? { kind: subcommand } : invalid(say.tooManyArguments(USAGE[subcommand]));
    case 'unsubscribe':
      return args.length <= 1 ? { kind: 'unsubscribe', which: args[0] } : invalid(say.tooManyArguments(USAGE.unsubscribe));
    case 'subscribe': {
      const parsed = parseRule(args);
      return parsed.ok ? { kind: 'subscribe', rule: parsed.rule } : invalid(ruleProblem(parsed.error));
    }
    case 'vkyc':
      return args.length === 0 ? { kind: 'vkyc' } : invalid(say.tooManyArguments(USAGE.vkyc));
    case 'find':
      // A phone may be typed with spaces (98765 43210): every word after `find` is the number.
      return args.length === 0 ? invalid(say.missingArgument(USAGE.find)) : { kind: 'find', phone: args.join(' ') };
    case 'link': {
      if (args.length > 1) return invalid(say.tooManyArguments(USAGE.link));
      const template = args[0];
      if (template !== undefined && !TEMPLATE_NAME.test(template)) return invalid(say.badTemplate(template));
      return { kind: 'link', template };
    }
    case 'track':
    case 'status':
    case 'untrack':
    case 'history': {
      const [word, ...rest] = args;
      if (word === undefined) return invalid(say.missingArgument(USAGE[subcommand]));
      if (rest.length > 0) return invalid(say.tooManyArguments(USAGE[subcommand]));
      const target = parseTarget(word);
      if (target === undefined) return invalid(say.badVerificationId(word));
      return { kind: subcommand, target };
    }
    default:
      return { kind: 'invalid', message: say.unknownSubcommand(verb), showUsage: true };
  }
}

function ruleProblem(error: RuleProblem): string {
  switch (error.problem) {
    case 'unknown_filter':
      return sayRules.badFilter(error.word);
    case 'bad_template':
      return sayRules.badTemplate(error.word);
    case 'bad_person':
      return sayRules.badPerson(error.word);
    case 'too_many_terms':
      return sayRules.tooManyTerms(error.count, MAX_RULE_TERMS);
  }
}

function invalid(message: string): Command {
  return { kind: 'invalid', message, showUsage: false };
}
