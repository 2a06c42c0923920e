import type { App } from '@slack/bolt';
import { slackFailure } from '../../slack/failures.js';
import { homeView, refusedHomeView, teamCounts } from '../../slack/home-view.js';
import { withOwnerSettings } from '../../slack/owner-dm.js';
import { INTERACTIVE_SLACK_WAIT_MS, pacedCall } from '../../tracking/pacing.js';
import { startOfDayMs } from '../../vkyc/phases.js';
import type { CommandDeps } from '../context.js';
import { auditRefusal, isUserAllowed } from '../surface.js';

/** App Home: published afresh each time someone opens the Home tab. */
export function registerHome(app: App, deps: CommandDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const now = deps.now();
    const allowed = isUserAllowed(deps.config, event.user);
    // Someone outside KYC_ALLOWED_USERS sees how the bot works, not who is being verified.
    if (!allowed) auditRefusal(deps, { userId: event.user }, 'home');
    const view = !allowed
      ? refusedHomeView()
      : withOwnerSettings(
          homeView(
            deps.store.trackedStatesBy(event.user),
            teamCounts(deps.store.trackedStates(), deps.store.endedSince(startOfDayMs(now, deps.config.alerts.timeZone))),
          ),
          deps.store.owners.settingsOf(event.user),
          deps.config.alerts.timeZone,
        );
    try {
      await pacedCall(deps.slackPacer, { method: 'views.publish' }, INTERACTIVE_SLACK_WAIT_MS, () => client.views.publish({ user_id: event.user, view }));
    } catch (error) {
      deps.logger.warn('could not publish the Home tab', { user: event.user, slack_error: slackFailure(error).code });
    }
  });
}
