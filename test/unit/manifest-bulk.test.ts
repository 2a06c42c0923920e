import { describe, expect, it } from 'vitest';
import { manifestBotEvents, manifestBotScopes } from '../helpers/manifest.js';

describe('manifest.yml for bulk starts', () => {
  it('asks for the scopes and the event a CSV shared in a DM with the bot needs', () => {
    expect(manifestBotScopes()).toEqual(expect.arrayContaining(['files:read', 'files:write', 'im:history', 'im:write', 'chat:write']));
    expect(manifestBotEvents()).toContain('message.im');
  });
});
