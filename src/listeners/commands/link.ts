import { linkComment } from '../../slack/blocks.js';
import { say } from '../../text/words.js';
import type { CommandDeps, Invocation, Outcome } from '../context.js';

/**
 * `/kyc link [template]`: asks Cashfree for the template's static link and
 * uploads a QR code of it, made here from the link itself, to the channel.
 */
export async function createLink(deps: CommandDeps, inv: Invocation, template: string): Promise<Outcome> {
  const link = await deps.cashfree.generateStaticLink(template);
  const png = await deps.renderQr(link.link);
  await inv.slack.files.uploadV2({
    channel_id: inv.channelId,
    file: png,
    filename: `kyc-link-${link.templateName}.png`.slice(0, 120),
    title: `KYC link QR code: ${link.templateName}`.slice(0, 250),
    alt_text: `QR code that opens the KYC link for template ${link.templateName}`.slice(0, 1000),
    initial_comment: linkComment(link, inv.userId),
  });
  deps.store.audit(
    { actor: inv.userId, teamId: inv.teamId, channelId: inv.channelId, action: 'link_generated', subject: template, detail: link.link },
    deps.now(),
  );
  await inv.reply(say.linkPosted(template));
  return { result: 'ok' };
}
