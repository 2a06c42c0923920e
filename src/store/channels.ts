import { escalationMention, storedEscalationTarget, type ChannelSettings } from '../vkyc/channel-settings.js';
import { parseRule, ruleText, type Rule } from '../vkyc/rules.js';
import type { Db } from './open.js';

/** One channel rule as `/kyc subscriptions` lists it. */
export interface ChannelRule {
  id: number;
  channelId: string;
  teamId: string | undefined;
  rule: Rule;
  setBy: string;
  setAt: number;
}

interface RuleRow {
  id: number;
  channel_id: string;
  team_id: string | null;
  terms: string;
  set_by: string;
  set_at: number;
}

interface SettingsRow {
  thread_only: number;
  condensed: number;
  stuck_after_minutes: number | null;
  escalation_target: string | null;
  updated_by: string;
  updated_at: number;
}

/** Who changed a channel's settings last, and when. */
export interface StoredSettings extends ChannelSettings {
  updatedBy: string;
  updatedAt: number;
}

/** A stored rule read back with the parser that wrote it; words this version cannot read match nothing. */
function toRule(row: RuleRow): ChannelRule | undefined {
  const parsed = parseRule(row.terms === '' ? [] : row.terms.split(' '));
  if (!parsed.ok) return undefined;
  return { id: row.id, channelId: row.channel_id, teamId: row.team_id ?? undefined, rule: parsed.rule, setBy: row.set_by, setAt: row.set_at };
}

/** Channel rules (`/kyc subscribe`), channel settings (`/kyc settings`) and what only `/kyc vkyc` knows of a verification. */
export function createChannelStore(db: Db) {
  const q = {
    addRule: db.prepare('INSERT INTO subscription_rules (channel_id, team_id, terms, set_by, set_at) VALUES (?, ?, ?, ?, ?)'),
    rulesIn: db.prepare<[string], RuleRow>('SELECT * FROM subscription_rules WHERE channel_id = ? ORDER BY id'),
    allRules: db.prepare<[], RuleRow>('SELECT * FROM subscription_rules ORDER BY channel_id, id'),
    removeRule: db.prepare('DELETE FROM subscription_rules WHERE id = ?'),
    removeAll: db.prepare('DELETE FROM subscription_rules WHERE channel_id = ?'),
    settings: db.prepare<[string], SettingsRow>('SELECT * FROM channel_settings WHERE channel_id = ?'),
    saveSettings: db.prepare(
      `INSERT INTO channel_settings (channel_id, team_id, thread_only, condensed, stuck_after_minutes, escalation_target, updated_by, updated_at)
       VALUES (@channel_id, @team_id, @thread_only, @condensed, @stuck_after_minutes, @escalation_target, @updated_by, @updated_at)
       ON CONFLICT (channel_id) DO UPDATE SET team_id = excluded.team_id, thread_only = excluded.thread_only, condensed = excluded.condensed,
         stuck_after_minutes = excluded.stuck_after_minutes, escalation_target = excluded.escalation_target,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ),
    recordOrigin: db.prepare(
      `INSERT OR IGNORE INTO verification_origins (verification_id, started_by, user_template, agent_template, started_at)
       VALUES (@verification_id, @started_by, @user_template, @agent_template, @started_at)`,
    ),
    origin: db.prepare<[string], { started_by: string; user_template: string | null; agent_template: string | null }>(
      'SELECT started_by, user_template, agent_template FROM verification_origins WHERE verification_id = ?',
    ),
    trackers: db.prepare<[string], { tracked_by: string }>(
      'SELECT DISTINCT tracked_by FROM trackings WHERE verification_id = ? AND opened_by_rule = 0',
    ),
  };

  const rulesIn = (channelId: string) => q.rulesIn.all(channelId).flatMap((row) => toRule(row) ?? []);

  return {
    addRule: (r: { channelId: string; teamId: string | undefined; rule: Rule; setBy: string; setAt: number }) =>
      void q.addRule.run(r.channelId, r.teamId ?? null, ruleText(r.rule), r.setBy, r.setAt),
    /** This channel's rules, oldest first: `/kyc unsubscribe <n>` counts in this order. */
    rulesIn,
    /** Every channel's rules, by channel. */
    allRules: (): Map<string, ChannelRule[]> => {
      const byChannel = new Map<string, ChannelRule[]>();
      for (const row of q.allRules.all()) {
        const rule = toRule(row);
        if (rule === undefined) continue;
        byChannel.set(rule.channelId, [...(byChannel.get(rule.channelId) ?? []), rule]);
      }
      return byChannel;
    },
    removeRule: (id: number) => q.removeRule.run(id).changes > 0,
    removeAllRules: (channelId: string) => q.removeAll.run(channelId).changes,
    settings: (channelId: string): StoredSettings | undefined => {
      const row = q.settings.get(channelId);
      if (row === undefined) return undefined;
      return {
        threadOnly: row.thread_only === 1,
        condensed: row.condensed === 1,
        stuckAfterMinutes: row.stuck_after_minutes ?? undefined,
        escalationTarget: storedEscalationTarget(row.escalation_target),
        updatedBy: row.updated_by,
        updatedAt: row.updated_at,
      };
    },
    saveSettings: (channelId: string, teamId: string | undefined, s: ChannelSettings, by: string, atMs: number) =>
      void q.saveSettings.run({
        channel_id: channelId,
        team_id: teamId ?? null,
        thread_only: s.threadOnly ? 1 : 0,
        condensed: s.condensed ? 1 : 0,
        stuck_after_minutes: s.stuckAfterMinutes ?? null,
        escalation_target: s.escalationTarget === undefined ? null : escalationMention(s.escalationTarget),
        updated_by: by,
        updated_at: atMs,
      }),
    /** `/kyc vkyc` started it: who, and with which templates (the first start is kept). */
    recordOrigin: (o: { verificationId: string; startedBy: string; userTemplate: string; agentTemplate: string; atMs: number }) =>
      void q.recordOrigin.run({
        verification_id: o.verificationId,
        started_by: o.startedBy,
        user_template: o.userTemplate,
        agent_template: o.agentTemplate,
        started_at: o.atMs,
      }),
    /** What a rule can know of a verification beyond its state: its templates, and who started or tracked it. */
    ruleFacts: (verificationId: string): { templates: string[]; people: string[] } => {
      const origin = q.origin.get(verificationId);
      const templates = [origin?.user_template, origin?.agent_template].filter((t): t is string => typeof t === 'string');
      const people = new Set(q.trackers.all(verificationId).map((r) => r.tracked_by));
      if (origin !== undefined) people.add(origin.started_by);
      return { templates, people: [...people] };
    },
  };
}

export type ChannelStore = ReturnType<typeof createChannelStore>;
