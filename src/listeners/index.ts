import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import type { CommandDeps } from './context.js';
import { registerBulkUpload } from './events/bulk-upload.js';
import { registerHome } from './events/home.js';
import type { InFlight } from './surface.js';
import { registerStartBulk } from './views/start-bulk.js';
import { registerStartVkyc } from './views/start-vkyc.js';

/** Everything Slack sends the bot, by surface. */
export function registerListeners(app: App, deps: CommandDeps, inFlight: InFlight): void {
  registerCommands(app, deps, inFlight);
  registerActions(app, deps, inFlight);
  registerStartVkyc(app, deps, inFlight);
  registerStartBulk(app, deps, inFlight);
  registerHome(app, deps);
  registerBulkUpload(app, deps, inFlight);
}

export type { InFlight } from './surface.js';
