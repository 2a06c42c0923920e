import type { App } from '@slack/bolt';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import type { CommandDeps } from './context.js';
import { registerHome } from './events/home.js';
import { registerFunctions } from './functions/index.js';
import type { InFlight } from './surface.js';
import { registerStartVkyc } from './views/start-vkyc.js';

/** Everything Slack sends the bot, by surface. */
export function registerListeners(app: App, deps: CommandDeps, inFlight: InFlight): void {
  registerCommands(app, deps, inFlight);
  registerActions(app, deps, inFlight);
  registerStartVkyc(app, deps, inFlight);
  registerHome(app, deps);
  registerFunctions(app, deps, inFlight);
}

export type { InFlight } from './surface.js';
