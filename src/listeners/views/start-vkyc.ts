import { randomBytes } from 'node:crypto';
import type { App, ViewStateValue } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { VkycState } from '../../cashfree/schemas.js';
import { CashfreeError } from '../../cashfree/schemas.js';
import type { CommandDeps } from '../context.js';
import { auditRefusal, isAllowed, keepInFlight, type InFlight } from '../surface.js';
import { isSlackApiError, slackFailure } from '../../slack/failures.js';
import { openTrackingCard } from '../../tracking/card.js';
import { outcomeModal, START_VKYC_CALLBACK, startModal, VALUE_ACTION, workingModal } from '../../slack/vkyc-modal.js';
import { describeCashfreeError, describeSlackError, say } from '../../text/words.js';
import { finalReasonOf, observe } from '../../tracking/observe.js';
import { recordStartedPhone } from '../../tracking/phones.js';
import { createOrReuseUser } from '../../tracking/vkyc-user.js';
import { fieldOfCashfreeError, generateVerificationId, readStartForm, type StartFormInput, type StartRequest } from '../../vkyc/start-form.js';

/** Who submitted the form, where the command was typed, and the modal to answer in. */
interface Submission {
  userId: string;
  teamId: string | undefined;
  channelId: string;
  viewId: string;
  slack: WebClient;
}

const metadataSchema = z.object({ channel: z.string().regex(/^[CGD][A-Z0-9]+$/) });

/**
 * The `/kyc vkyc` form's submission. Mistakes the bot can see go back on their fields at once and Cashfree
 * is not called. Otherwise the modal turns into a "starting…" view while the bot calls Cashfree (POST /user,
 * then POST /vkyc), and then into the outcome: the form again with Cashfree's refusal under the field it
 * concerns, or the outcome in plain words. Everything stays private to the agent (the modal, or an
 * ephemeral message if they closed it); the channel only gets the tracking card, with no personal data.
 */
export function registerStartVkyc(app: App, deps: CommandDeps, inFlight: InFlight): void {
  app.view(START_VKYC_CALLBACK, async ({ ack, body, view, client }) => {
    const started = deps.now();
    const metadata = metadataSchema.safeParse(parseJson(view.private_metadata));
    const submission: Submission | undefined = metadata.success
      ? { userId: body.user.id, teamId: body.team?.id, channelId: metadata.data.channel, viewId: view.id, slack: client }
      : undefined;
    if (submission === undefined || !isAllowed(deps.config, submission)) {
      await ack({ response_action: 'update', view: outcomeModal(say.refused, submission?.channelId ?? '') });
      if (submission !== undefined) auditRefusal(deps, submission, 'vkyc_submit');
      finish(deps, started, body.user.id, submission === undefined ? 'invalid' : 'refused');
      return;
    }
    const input = readInput(view.state.values);
    const form = readStartForm(input, () => generateVerificationId(deps.now(), randomBytes(6).toString('hex')));
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      finish(deps, started, submission.userId, 'invalid', { fields: Object.keys(form.errors).join(',') });
      return;
    }
    await ack({ response_action: 'update', view: workingModal(form.request.verificationId, submission.channelId) });
    const work = startVkyc(deps, submission, form.request, input).then((outcome) =>
      finish(deps, started, submission.userId, outcome.result, { channel: submission.channelId, verification_id: form.request.verificationId, ...outcome.detail }),
    );
    await keepInFlight(inFlight, work);
  });
}

interface StartOutcome {
  result: 'ok' | 'cashfree_error' | 'error';
  detail?: Record<string, string>;
}

async function startVkyc(deps: CommandDeps, sub: Submission, request: StartRequest, input: StartFormInput): Promise<StartOutcome> {
  try {
    const user = await createOrReuseUser(deps.cashfree, { phone: request.phone, name: request.name, email: request.email });
    const started = await deps.cashfree.initiateVkyc({
      verificationId: request.verificationId,
      userReferenceId: user.userReferenceId,
      userTemplate: request.userTemplate,
      agentTemplate: request.agentTemplate,
      notificationTypes: request.notify,
    });
    const { state } = started;
    const now = deps.now();
    if (state.status === 'REJECTED' || finalReasonOf(deps, state, now) !== undefined) {
      await tell(deps, sub, say.vkycRejected(state.verificationId, state.status, state.subStatus));
      return { result: 'cashfree_error', detail: { code: state.subStatus || state.status } };
    }
    deps.store.audit(
      { actor: sub.userId, teamId: sub.teamId, channelId: sub.channelId, action: 'vkyc_started', subject: state.verificationId },
      now,
    );
    observe(deps, state, now);
    recordStartedPhone(deps, { phone: request.phone, verificationId: state.verificationId, by: sub.userId, channelId: sub.channelId });
    const lines = [say.vkycStarted(state.verificationId, sub.channelId)];
    lines.push(await sendLinkPrivately(deps, sub, state.verificationId, started.link));
    lines.push(...(await followInChannel(deps, sub, state)));
    await tell(deps, sub, lines.join('\n\n'));
    return { result: 'ok' };
  } catch (error) {
    if (error instanceof CashfreeError) {
      const field = fieldOfCashfreeError(error);
      if (field === undefined) {
        await tell(deps, sub, say.vkycNotStarted(describeCashfreeError(error)));
      } else {
        const words = error.status === 409 ? say.vkycField.duplicateVerificationId(error.code) : say.vkycField.refused(error.message, error.code);
        const form = startModal({ channelId: sub.channelId, defaults: deps.config.vkyc, values: input, errors: { [field]: words } });
        await showPrivately(deps, sub, form, say.vkycNotStarted(words));
      }
      return { result: 'cashfree_error', detail: { code: error.code, ...(field === undefined ? {} : { field }) } };
    }
    deps.logger.error('starting a video kyc failed', { user: sub.userId, channel: sub.channelId, error });
    await tell(deps, sub, say.internalError);
    return { result: 'error' };
  }
}

/** The customer's link and its QR code in the agent's DM with the bot: a file cannot be ephemeral. */
async function sendLinkPrivately(deps: CommandDeps, sub: Submission, verificationId: string, link: string | undefined): Promise<string> {
  if (link === undefined) return say.vkycNoLink;
  try {
    const opened = await sub.slack.conversations.open({ users: sub.userId });
    const dm = opened.channel?.id;
    if (dm === undefined) throw new Error('Slack did not return the DM channel');
    await sub.slack.files.uploadV2({
      channel_id: dm,
      file: await deps.renderQr(link),
      filename: `vkyc-${verificationId}.png`.slice(0, 120),
      title: `Video KYC QR code: ${verificationId}`.slice(0, 250),
      alt_text: `QR code that opens the customer's Video KYC link for ${verificationId}`.slice(0, 1000),
      initial_comment: say.vkycLinkComment(verificationId, link),
    });
    return say.vkycLinkSent;
  } catch (error) {
    return say.vkycLinkNotSent(describeFailure(deps, sub, error));
  }
}

/** The usual tracking card in the channel the command came from; the poller follows it in the thread. */
async function followInChannel(deps: CommandDeps, sub: Submission, state: VkycState): Promise<string[]> {
  try {
    const card = await openTrackingCard(deps, sub.slack, { state, channelId: sub.channelId, teamId: sub.teamId, trackedBy: sub.userId });
    if (!card.created) return [say.vkycAlreadyTracked];
    deps.store.audit(
      { actor: sub.userId, teamId: sub.teamId, channelId: sub.channelId, action: 'tracking_started', subject: state.verificationId },
      deps.now(),
    );
    return [];
  } catch (error) {
    return [say.vkycNotTracked(state.verificationId, describeFailure(deps, sub, error))];
  }
}

function describeFailure(deps: CommandDeps, sub: Submission, error: unknown): string {
  if (isSlackApiError(error)) return describeSlackError(slackFailure(error).code);
  deps.logger.error('video kyc follow-up failed', { user: sub.userId, channel: sub.channelId, error });
  return say.internalError;
}

/** The modal if it is still open; otherwise the same words in an ephemeral message in the channel, seen only by the agent. */
async function showPrivately(deps: CommandDeps, sub: Submission, view: ModalView, text: string): Promise<void> {
  try {
    await sub.slack.views.update({ view_id: sub.viewId, view });
    return;
  } catch (error) {
    deps.logger.info('the video kyc modal is gone; answering with an ephemeral message', { user: sub.userId, code: slackFailure(error).code });
  }
  await sub.slack.chat.postEphemeral({ channel: sub.channelId, user: sub.userId, text }).catch((error: unknown) => {
    deps.logger.warn('could not answer the agent', { user: sub.userId, channel: sub.channelId, error });
  });
}

/** The outcome in the modal, or privately in the channel. */
function tell(deps: CommandDeps, sub: Submission, text: string): Promise<void> {
  return showPrivately(deps, sub, outcomeModal(text, sub.channelId), text);
}

function readInput(values: Record<string, Record<string, ViewStateValue>>): StartFormInput {
  const text = (block: string) => values[block]?.[VALUE_ACTION]?.value ?? undefined;
  return {
    phone: text('phone'),
    name: text('name'),
    email: text('email'),
    userTemplate: text('user_template'),
    agentTemplate: text('agent_template'),
    notify: (values['notify']?.[VALUE_ACTION]?.selected_options ?? []).map((option) => option.value ?? ''),
    verificationId: text('verification_id'),
  };
}

function finish(deps: CommandDeps, started: number, userId: string, result: string, fields: Record<string, string> = {}): void {
  deps.metrics.commands.inc({ subcommand: 'vkyc_submit', result });
  deps.logger.info('video kyc form', { user: userId, result, ...fields, ms: deps.now() - started });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
