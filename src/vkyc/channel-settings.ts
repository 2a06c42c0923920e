/** A channel's delivery settings (`/kyc settings`) and how its form is read. No I/O. */

export interface ChannelSettings {
  /** Final states stay in the thread (no `reply_broadcast`). */
  threadOnly: boolean;
  /** The thread gets only milestones (src/vkyc/milestones.ts); the card still shows every state. */
  condensed: boolean;
  /** The stuck-note threshold for this channel, in minutes; undefined: KYC_STUCK_AFTER_SECONDS. */
  stuckAfterMinutes: number | undefined;
  /** Who SLA escalation mentions: `@here`, or a user group's id (`S…`); undefined: nobody. */
  escalationTarget: EscalationTarget | undefined;
}

export type EscalationTarget = { kind: 'here' } | { kind: 'usergroup'; id: string };

export const DEFAULT_CHANNEL_SETTINGS: ChannelSettings = { threadOnly: false, condensed: false, stuckAfterMinutes: undefined, escalationTarget: undefined };

/** A stuck threshold a channel may set: a minute to a day. */
export const STUCK_MINUTES = { min: 1, max: 1_440 } as const;

/** The stuck threshold a channel's notes and digest use: its own, else the global one. */
export function stuckAfterMsFor(settings: Pick<ChannelSettings, 'stuckAfterMinutes'> | undefined, defaultMs: number): number {
  const minutes = settings?.stuckAfterMinutes;
  return minutes === undefined ? defaultMs : minutes * 60_000;
}

const USERGROUP_ID = /^S[A-Z0-9]{2,30}$/;
/** A user group as Slack escapes it in text: `<!subteam^S123>` or `<!subteam^S123|@handle>`. */
const USERGROUP_MENTION = /^<!subteam\^(S[A-Z0-9]{2,30})(?:\|[^>]*)?>$/;

/** Reads what an agent typed as the escalation target; undefined when it names neither `@here` nor a user group. */
export function parseEscalationTarget(text: string): EscalationTarget | undefined {
  const value = text.trim();
  if (/^(@here|<!here>|here)$/i.test(value)) return { kind: 'here' };
  const id = USERGROUP_MENTION.exec(value)?.[1] ?? (USERGROUP_ID.test(value) ? value : undefined);
  return id === undefined ? undefined : { kind: 'usergroup', id };
}

/** How a target is stored, and how it mentions people in a message: `<!here>`, `<!subteam^S123>`. */
export function escalationMention(target: EscalationTarget): string {
  return target.kind === 'here' ? '<!here>' : `<!subteam^${target.id}>`;
}

/** Reads a stored target back; a value this version cannot read counts as none. */
export function storedEscalationTarget(stored: string | null): EscalationTarget | undefined {
  return stored === null ? undefined : parseEscalationTarget(stored);
}

export interface SettingsFormInput {
  finalPosts: string | undefined;
  threadDetail: string | undefined;
  stuckMinutes: string | undefined;
  escalation: string | undefined;
}

export type SettingsField = 'final_posts' | 'thread_detail' | 'stuck_minutes' | 'escalation';

/** The form's answers as settings, or what is wrong, field by field (the modal's `response_action: errors`). */
export function readSettingsForm(
  input: SettingsFormInput,
  words: { choose: string; stuckMinutes: string; escalation: string },
): { ok: true; settings: ChannelSettings } | { ok: false; errors: Partial<Record<SettingsField, string>> } {
  const errors: Partial<Record<SettingsField, string>> = {};
  if (input.finalPosts !== 'broadcast' && input.finalPosts !== 'thread_only') errors.final_posts = words.choose;
  if (input.threadDetail !== 'every_change' && input.threadDetail !== 'condensed') errors.thread_detail = words.choose;
  const minutesText = input.stuckMinutes?.trim() ?? '';
  const minutes = minutesText === '' ? undefined : Number(minutesText);
  if (minutes !== undefined && !(Number.isInteger(minutes) && minutes >= STUCK_MINUTES.min && minutes <= STUCK_MINUTES.max)) {
    errors.stuck_minutes = words.stuckMinutes;
  }
  const escalationText = input.escalation?.trim() ?? '';
  const escalationTarget = escalationText === '' ? undefined : parseEscalationTarget(escalationText);
  if (escalationText !== '' && escalationTarget === undefined) errors.escalation = words.escalation;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: { threadOnly: input.finalPosts === 'thread_only', condensed: input.threadDetail === 'condensed', stuckAfterMinutes: minutes, escalationTarget },
  };
}
