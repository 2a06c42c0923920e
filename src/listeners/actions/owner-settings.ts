import type { App, BlockAction, BlockElementAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { slackFailure } from '../../slack/failures.js';
import { OWNER_SETTINGS_ACTIONS, readQuietChoice, withOwnerSettings } from '../../slack/owner-dm.js';
import type { OwnerSettings } from '../../store/owners.js';
import { INTERACTIVE_SLACK_WAIT_MS, pacedCall } from '../../tracking/pacing.js';
import { isOwnerDmKind, OWNER_DM_KINDS } from '../../vkyc/owner-notices.js';
import type { CommandDeps, Outcome } from '../context.js';
import { auditRefusal, isUserAllowed, keepInFlight, recordOutcome, type InFlight } from '../surface.js';

const A = OWNER_SETTINGS_ACTIONS;

/**
 * The owner's settings on App Home: the DM kinds (checkboxes) and the ends of the quiet hours (two selects). Each
 * change is saved at once and the tab republished with the settings as saved, so it shows what now applies.
 */
export function registerOwnerSettings(app: App, deps: CommandDeps, inFlight: InFlight): void {
  for (const actionId of [A.kinds, A.quietFrom, A.quietUntil]) {
    app.action<BlockAction>({ action_id: actionId }, async ({ ack, body, action, client }) => {
      await ack();
      await keepInFlight(inFlight, saveSettings(deps, body, action, client));
    });
  }
}

async function saveSettings(deps: CommandDeps, body: BlockAction, action: BlockElementAction, slack: WebClient): Promise<void> {
  const started = deps.now();
  const userId = body.user.id;
  let outcome: Outcome;
  if (!isUserAllowed(deps.config, userId)) {
    outcome = auditRefusal(deps, { userId, teamId: body.team?.id }, 'home:dm_settings');
  } else {
    const current = deps.store.owners.settingsOf(userId);
    const next = changed(current, action);
    if (next === undefined) {
      outcome = { result: 'invalid', code: action.action_id };
    } else {
      deps.store.owners.saveSettings(userId, next, deps.now());
      outcome = { result: 'ok' };
    }
    await republish(deps, slack, body, userId);
  }
  recordOutcome(
    deps,
    { log: 'dm settings', count: (result) => deps.metrics.buttons.inc({ action: 'dm_settings', result }) },
    started,
    { action: action.action_id, user: userId },
    outcome,
  );
}

/** The settings with this one change; undefined when the value is not one the tab offers. */
function changed(current: OwnerSettings, action: BlockElementAction): OwnerSettings | undefined {
  if (action.type === 'checkboxes' && action.action_id === A.kinds) {
    const wanted = action.selected_options.map((option) => option.value ?? '');
    if (!wanted.every(isOwnerDmKind)) return undefined;
    return { ...current, mutedKinds: OWNER_DM_KINDS.filter((kind) => !wanted.includes(kind)) };
  }
  if (action.type === 'static_select') {
    const minute = readQuietChoice(action.selected_option?.value);
    if (minute === undefined) return undefined;
    if (action.action_id === A.quietFrom) return { ...current, quietFrom: minute };
    if (action.action_id === A.quietUntil) return { ...current, quietUntil: minute };
  }
  return undefined;
}

/** The tab as Slack sent it with the click, with the settings as saved (a refused or odd value shows what holds). */
async function republish(deps: CommandDeps, slack: WebClient, body: BlockAction, userId: string): Promise<void> {
  const view = body.view;
  if (view === undefined || view.type !== 'home') return;
  const home = withOwnerSettings({ type: 'home', blocks: view.blocks }, deps.store.owners.settingsOf(userId), deps.config.alerts.timeZone);
  try {
    await pacedCall(deps.slackPacer, { method: 'views.publish' }, INTERACTIVE_SLACK_WAIT_MS, () => slack.views.publish({ user_id: userId, view: home }));
  } catch (error) {
    deps.logger.warn('could not republish the Home tab after a settings change', { user: userId, slack_error: slackFailure(error).code });
  }
}
