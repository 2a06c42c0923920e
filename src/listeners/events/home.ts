import type { App, BlockAction, StaticSelectAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { slackFailure } from '../../slack/failures.js';
import { homeView, refusedHomeView, teamCounts } from '../../slack/home-view.js';
import { HOME_PERIODS, HOME_TURNAROUND_ACTIONS, turnaroundHomeBlocks, type HomePeriod } from '../../slack/turnaround.js';
import { withOwnerSettings } from '../../slack/owner-dm.js';
import { INTERACTIVE_SLACK_WAIT_MS, pacedCall } from '../../tracking/pacing.js';
import { createHomeTurnaround } from '../../tracking/turnaround.js';
import { startOfDayMs } from '../../vkyc/phases.js';
import type { CommandDeps } from '../context.js';
import { auditRefusal, isUserAllowed } from '../surface.js';

/** Turnaround figures cover the last week unless the viewer picks another period. */
const DEFAULT_PERIOD: HomePeriod = 7;

/** App Home: published afresh each time someone opens the Home tab, or picks another period for its figures. */
export function registerHome(app: App, deps: CommandDeps): void {
  const turnaround = createHomeTurnaround(deps.store, deps.now);
  const publish = (client: WebClient, userId: string, days: HomePeriod, surface: string) => publishHome(deps, turnaround, client, userId, days, surface);
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publish(client, event.user, DEFAULT_PERIOD, 'home');
  });
  app.action<BlockAction<StaticSelectAction>>({ block_id: HOME_TURNAROUND_ACTIONS.block, action_id: HOME_TURNAROUND_ACTIONS.period }, async ({ ack, body, action, client }) => {
    await ack();
    const days = HOME_PERIODS.find((period) => String(period) === action.selected_option.value) ?? DEFAULT_PERIOD;
    await publish(client, body.user.id, days, 'home_period');
  });
}

async function publishHome(
  deps: CommandDeps,
  turnaround: ReturnType<typeof createHomeTurnaround>,
  client: WebClient,
  userId: string,
  days: HomePeriod,
  surface: string,
): Promise<void> {
  const now = deps.now();
  const allowed = isUserAllowed(deps.config, userId);
  // Someone outside KYC_ALLOWED_USERS sees how the bot works, not who is being verified.
  if (!allowed) auditRefusal(deps, { userId }, surface);
  const view = !allowed
    ? refusedHomeView()
    : withOwnerSettings(
        homeView(
          deps.store.trackedStatesBy(userId),
          teamCounts(deps.store.trackedStates(), deps.store.endedSince(startOfDayMs(now, deps.config.alerts.timeZone))),
          turnaroundHomeBlocks(turnaround(userId, days)),
        ),
        deps.store.owners.settingsOf(userId),
        deps.config.alerts.timeZone,
      );
  try {
    await pacedCall(deps.slackPacer, { method: 'views.publish' }, INTERACTIVE_SLACK_WAIT_MS, () => client.views.publish({ user_id: userId, view }));
  } catch (error) {
    deps.logger.warn('could not publish the Home tab', { user: userId, slack_error: slackFailure(error).code });
  }
}
