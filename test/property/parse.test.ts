import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand, tokenize, TEMPLATE_NAME, type Command } from '../../src/listeners/commands/parse.js';
import { ConfigError, parseConfig } from '../../src/config.js';
import { isValidSchedule } from '../../src/jobs/scheduler.js';
import { helpText, sayRules } from '../../src/text/words.js';
import { parseRule, ruleText, sameRule } from '../../src/vkyc/rules.js';
import { FRAGMENTS, PROPERTY_SETTINGS, hostileText, mrkdwnProblems } from '../helpers/hostile.js';

fc.configureGlobal(PROPERTY_SETTINGS);

/** `/kyc <text>`: whatever is typed, the parser answers a command or a plain-words reason, and never throws. */

const QUOTES = new Set(['"', '\u201C', '\u201D']);
const VERBS = ['help', 'list', 'link', 'track', 'status', 'untrack', 'history'] as const;
const TARGET_VERBS = ['track', 'status', 'untrack', 'history'] as const;

/** The ephemeral text the agent gets for an invalid command, as the dispatcher builds it. */
function invalidAnswer(command: Extract<Command, { kind: 'invalid' }>): string {
  return command.showUsage ? `${command.message}\n\n${helpText('Aadhaar_verification')}` : command.message;
}

function checkCommand(command: Command): void {
  switch (command.kind) {
    case 'link':
      if (command.template !== undefined) expect(command.template).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
      break;
    case 'track':
    case 'status':
    case 'untrack':
    case 'history':
      if ('verificationId' in command.target) expect(command.target.verificationId).toMatch(/^[A-Za-z0-9._-]{1,50}$/);
      else expect(command.target.referenceId).toMatch(/^\d{1,18}$/);
      break;
    case 'invalid': {
      const answer = invalidAnswer(command);
      expect(answer.length).toBeLessThanOrEqual(3000);
      expect(mrkdwnProblems(answer, { balancedCodeSpans: true })).toEqual([]);
      break;
    }
    case 'subscribe': {
      // What is stored reads back as the same rule, and what is said about it echoes nothing live.
      const text = ruleText(command.rule);
      const again = parseRule(text === '' ? [] : text.split(' '));
      expect(again.ok && sameRule(again.rule, command.rule)).toBe(true);
      const people = command.rule.terms.filter((t) => t.kind === 'by').map((t) => t.value);
      expect(mrkdwnProblems(sayRules.ruleAdded(1, command.rule.terms), { balancedCodeSpans: true, trustedMentions: people })).toEqual([]);
      break;
    }
    case 'help':
    case 'list':
    case 'unsubscribe':
    case 'subscriptions':
    case 'settings':
    case 'vkyc':
      break;
  }
}

/** Rule words, hostile or plausible: classes, negations, templates, people as Slack escapes them. */
const ruleWord = fc.oneof(
  hostileText(),
  fc.constantFrom('failures', '-rejected', 'Expiries', 'approved', 'scheduled', 'dropoffs', 'all', '-'),
  hostileText().map((t) => `template:${t}`),
  hostileText().map((t) => `-by:${t}`),
  fc.stringMatching(/^[A-Z0-9]{2,12}$/).map((id) => `by:<@U${id}|${id.toLowerCase()}>`),
);

/** Some typing around a verb: random case, the verb alone, or followed by hostile words. */
const commandLine = fc.oneof(
  hostileText(),
  fc
    .tuple(fc.constantFrom(...VERBS), fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), fc.array(hostileText(), { maxLength: 3 }))
    .map(([verb, upper, args]) => [[...verb].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''), ...args].join(' ')),
);

describe('tokenize', () => {
  it('never throws; fails exactly when a quote is left open; tokens hold no quote characters', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const tokens = tokenize(text);
        const quotes = [...text].filter((c) => QUOTES.has(c)).length;
        expect(tokens === undefined).toBe(quotes % 2 === 1);
        for (const token of tokens ?? []) expect([...token].some((c) => QUOTES.has(c))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('splits unquoted words on any whitespace and groups quoted ones, straight or curly', () => {
    const word = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).filter((w) => ![...w].some((c) => QUOTES.has(c) || /\s/.test(c)));
    const space = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), space, fc.constantFrom<[string, string]>(['"', '"'], ['\u201C', '\u201D']), (words, gap, [open, close]) => {
        expect(tokenize(words.join(gap))).toEqual(words);
        expect(tokenize(`${gap}${open}${words.join(' ')}${close}${gap}`)).toEqual([words.join(' ')]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseCommand', () => {
  it('subscribe: never throws; a rule round-trips through what is stored, and every refusal is safe to echo', () => {
    fc.assert(fc.property(fc.array(ruleWord, { maxLength: 12 }), (words) => checkCommand(parseCommand(['subscribe', ...words].join(' ')))), { numRuns: 1500 });
  });

  it('never throws on any text; every command is well-formed and every refusal is safe to echo', () => {
    fc.assert(fc.property(commandLine, (text) => checkCommand(parseCommand(text))), { numRuns: 3000 });
  });

  it('reads blank text as help and verbs in any case', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\s*$/), fc.constantFrom(...VERBS), (blank, verb) => {
        expect(parseCommand(blank)).toEqual({ kind: 'help' });
        const command = parseCommand(`${blank}${verb.toUpperCase()}${blank}`);
        expect(command.kind).toBe((TARGET_VERBS as readonly string[]).includes(verb) ? 'invalid' : verb);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a target only when it is a plain verification id or ref:<digits>', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TARGET_VERBS), hostileText(), (verb, word) => {
        const command = parseCommand(`${verb} ${word}`);
        checkCommand(command);
        const tokens = tokenize(word) ?? [];
        const plain = tokens.length === 1 && (/^[A-Za-z0-9._-]{1,50}$/.test(tokens[0] ?? '') || /^ref:\d{1,18}$/i.test(tokens[0] ?? ''));
        expect(command.kind === verb).toBe(plain);
      }),
      { numRuns: 1500 },
    );
  });

  it('refuses SQL, mentions and markup as ids, and never echoes them live', () => {
    const unquoted = FRAGMENTS.map((f) => f.replace(/["\u201C\u201D]/g, ''));
    const nasty = fc.constantFrom(...unquoted.filter((f) => /[^A-Za-z0-9._\s-]/.test(f) && !/^ref:\d+$/.test(f)));
    fc.assert(
      fc.property(fc.constantFrom(...TARGET_VERBS, 'link'), fc.string({ unit: 'grapheme-ascii', maxLength: 10 }), nasty, (verb, prefix, bad) => {
        const command = parseCommand(`${verb} "${prefix.replace(/"/g, '')}${bad}"`);
        checkCommand(command);
        expect(command.kind).toBe('invalid');
      }),
      { numRuns: 500 },
    );
  });
});

describe('template validation', () => {
  const templateChars = fc.constantFrom(...'ABCxyz0189._-');
  const validName = fc.array(templateChars, { minLength: 1, maxLength: 100 }).map((chars) => chars.join(''));

  it('`/kyc link <name>` accepts exactly 1 to 100 letters, digits, dots, underscores and hyphens', () => {
    const name = fc.oneof(
      validName,
      fc.array(templateChars, { minLength: 101, maxLength: 140 }).map((chars) => chars.join('')),
      hostileText().filter((w) => w.length > 0 && ![...w].some((c) => QUOTES.has(c) || /\s/.test(c))),
    );
    fc.assert(
      fc.property(name, (template) => {
        const valid = [...template].length <= 100 && [...template].every((c) => /[A-Za-z0-9._-]/.test(c));
        expect(TEMPLATE_NAME.test(template)).toBe(valid);
        const command = parseCommand(`link ${template}`);
        checkCommand(command);
        expect(command).toEqual(valid ? { kind: 'link', template } : expect.objectContaining({ kind: 'invalid' }));
      }),
      { numRuns: 1500 },
    );
  });

  it('KYC_DEFAULT_TEMPLATE is checked once at start-up: a ConfigError or a valid name, nothing else', () => {
    const env = {
      SLACK_BOT_TOKEN: 'xoxb-property',
      SLACK_SIGNING_SECRET: 'property-secret',
      CASHFREE_CLIENT_ID: 'id',
      CASHFREE_CLIENT_SECRET: 'secret',
    };
    fc.assert(
      fc.property(fc.oneof(validName, hostileText()), (template) => {
        try {
          const config = parseConfig({ ...env, KYC_DEFAULT_TEMPLATE: template }, isValidSchedule);
          expect(config.kyc.defaultTemplate).toMatch(/^[A-Za-z0-9._-]{1,100}$/);
          expect(config.kyc.defaultTemplate).toBe(template.trim());
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          expect((error as Error).message).toMatch(/^KYC_DEFAULT_TEMPLATE /);
        }
      }),
      { numRuns: 500 },
    );
  });
});
