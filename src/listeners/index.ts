import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import type { CommandDeps } from './context.js';
import { registerBulkUpload } from './events/bulk-upload.js';
import { registerHome } from './events/home.js';
import { registerShortcuts } from './shortcuts/index.js';
import { registerFunctions } from './functions/index.js';
import type { InFlight } from './surface.js';
import { registerStartAgain } from './views/start-again.js';
import { registerChannelSettings } from './views/channel-settings.js';
import { registerStartBulk } from './views/start-bulk.js';
import { registerStartVkyc } from './views/start-vkyc.js';
import { registerTrackMessage } from './views/track-message.js';

/** Everything Slack sends the bot, by surface. */
export function registerListeners(app: App, deps: CommandDeps, inFlight: InFlight): void {
  registerCommands(app, deps, inFlight);
  registerActions(app, deps, inFlight);
  registerStartVkyc(app, deps, inFlight);
  registerShortcuts(app, deps, inFlight);
  registerTrackMessage(app, deps, inFlight);
  registerStartAgain(app, deps, inFlight);
  registerChannelSettings(app, deps);
  registerStartBulk(app, deps, inFlight);
  registerHome(app, deps);
  registerFunctions(app, deps, inFlight);
  registerBulkUpload(app, deps, inFlight);
}

export type { InFlight } from './surface.js';
