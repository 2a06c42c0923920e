import { say } from '../../text/words.js';

/** Which verification a command names: Cashfree's verification id, or `ref:<reference_id>`. */
export type Target = { verificationId: string } | { referenceId: string };

export type Command =
  | { kind: 'help' }
  | { kind: 'link'; template: string | undefined }
  | { kind: 'track' | 'status' | 'untrack' | 'history'; target: Target }
  | { kind: 'list' | 'unsubscribe' | 'subscriptions' }
  | { kind: 'subscribe'; filter: 'all' | 'failures' }
  | { kind: 'vkyc' }
  | { kind: 'find'; phone: string }
  | { kind: 'invalid'; message: string; showUsage: boolean };

export const TEMPLATE_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const VERIFICATION_ID = /^[A-Za-z0-9._-]{1,50}$/;
/** Cashfree reference ids are integers; 15 digits keep them exact in a JavaScript number. */
const REFERENCE = /^ref:(\d{1,15})$/i;

const USAGE = {
  link: '/kyc link [template]',
  track: '/kyc track <verification_id | ref:reference_id>',
  status: '/kyc status <verification_id | ref:reference_id>',
  untrack: '/kyc untrack <verification_id | ref:reference_id>',
  history: '/kyc history <verification_id | ref:reference_id>',
  list: '/kyc list',
  subscribe: '/kyc subscribe [failures]',
  unsubscribe: '/kyc unsubscribe',
  subscriptions: '/kyc subscriptions',
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

export function parseTarget(word: string): Target | undefined {
  const reference = REFERENCE.exec(word);
  if (reference?.[1] !== undefined) return { referenceId: reference[1] };
  return VERIFICATION_ID.test(word) ? { verificationId: word } : undefined;
}

export function describeTarget(target: Target): string {
  return 'verificationId' in target ? target.verificationId : `ref:${target.referenceId}`;
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
    case 'unsubscribe':
    case 'subscriptions':
      return args.length === 0 ? { kind: subcommand } : invalid(say.tooManyArguments(USAGE[subcommand]));
    case 'subscribe': {
      if (args.length > 1) return invalid(say.tooManyArguments(USAGE.subscribe));
      const filter = (args[0] ?? 'all').toLowerCase();
      if (filter !== 'all' && filter !== 'failures') return invalid(say.badSubscribeFilter(args[0] ?? ''));
      return { kind: 'subscribe', filter };
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

function invalid(message: string): Command {
  return { kind: 'invalid', message, showUsage: false };
}
