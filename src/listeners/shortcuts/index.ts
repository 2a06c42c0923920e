import type { App, GlobalShortcut, MessageShortcut } from '@slack/bolt';
import type { CommandDeps } from '../context.js';
import { keepInFlight, type InFlight } from '../surface.js';
import { START_VKYC_SHORTCUT, startVkycShortcut } from './start-vkyc.js';
import { TRACK_MESSAGE_SHORTCUT, trackMessageShortcut } from './track-message.js';

/** Message and global shortcuts (manifest.yml `features.shortcuts`): acknowledged at once, then the modal opens. */
export function registerShortcuts(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.shortcut<MessageShortcut>({ callback_id: TRACK_MESSAGE_SHORTCUT, type: 'message_action' }, async ({ shortcut, ack, respond, client }) => {
    await ack();
    await keepInFlight(inFlight, trackMessageShortcut(deps, shortcut, respond, client));
  });
  app.shortcut<GlobalShortcut>({ callback_id: START_VKYC_SHORTCUT, type: 'shortcut' }, async ({ shortcut, ack, client }) => {
    await ack();
    await keepInFlight(inFlight, startVkycShortcut(deps, shortcut, client));
  });
}
