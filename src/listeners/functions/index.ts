import type { App } from '@slack/bolt';
import type { CommandDeps } from '../context.js';
import type { InFlight } from '../surface.js';
import { startVkycStep } from './start-vkyc.js';
import { statusStep } from './status.js';
import { registerStep } from './step.js';
import { waitStep } from './wait.js';

/** The Workflow Builder custom steps manifest.yml declares under `functions`. */
export function registerFunctions(app: App, deps: CommandDeps, inFlight: InFlight): void {
  deps.metrics.watchSlackClient(app.client);
  for (const step of [startVkycStep(deps), statusStep(deps), waitStep(deps)]) registerStep(app, deps, inFlight, step);
}
