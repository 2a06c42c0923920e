import { randomBytes } from 'node:crypto';
import type { App, ViewStateValue } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { CashfreeError } from '../../cashfree/schemas.js';
import type { CommandDeps } from '../context.js';
import { auditRefusal, isAllowed, isUserAllowed, keepInFlight, parseJson, type InFlight } from '../surface.js';
import { slackFailure } from '../../slack/failures.js';
import { CHANNEL_BLOCK, outcomeModal, START_VKYC_CALLBACK, startModal, VALUE_ACTION, workingModal } from '../../slack/vkyc-modal.js';
import { describeCashfreeError, describeSlackError, say } from '../../text/words.js';
import { startVideoKyc } from '../../tracking/start-vkyc.js';
import { fieldOfCashfreeError, generateVerificationId, readStartForm, type StartFormInput, type StartRequest } from '../../vkyc/start-form.js';

/** Who submitted the form, where the command was typed, and the modal to answer in. */
interface Submission {
  userId: string;
  teamId: string | undefined;
  channelId: string;
  viewId: string;
  slack: WebClient;
}

/** The channel, when the form was opened in one (`/kyc vkyc`); absent when the form picks it (the global shortcut). */
const metadataSchema = z.object({ channel: z.string().regex(/^[CGD][A-Z0-9]+$/).optional() });

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
    const picking = metadata.success && metadata.data.channel === undefined;
    const submission: Submission | undefined = metadata.success
      ? { userId: body.user.id, teamId: body.team?.id, channelId: metadata.data.channel ?? pickedChannel(view.state.values), viewId: view.id, slack: client }
      : undefined;
    // A picked channel is checked with the form's fields below, so a refusal lands on the picker.
    const allowed = submission !== undefined && (picking ? isUserAllowed(deps.config, submission.userId) : isAllowed(deps.config, submission));
    if (submission === undefined || !allowed) {
      await ack({ response_action: 'update', view: outcomeModal(say.refused, submission?.channelId ?? '') });
      if (submission !== undefined) auditRefusal(deps, submission, 'vkyc_submit');
      finish(deps, started, body.user.id, submission === undefined ? 'invalid' : 'refused');
      return;
    }
    const input = readInput(view.state.values);
    const form = readStartForm(input, () => generateVerificationId(deps.now(), randomBytes(6).toString('hex')));
    const channelProblem = picking ? await pickedChannelProblem(deps, submission) : undefined;
    if (!form.ok || channelProblem !== undefined) {
      const errors = { ...(form.ok ? {} : form.errors), ...(channelProblem === undefined ? {} : { [CHANNEL_BLOCK]: channelProblem }) };
      await ack({ response_action: 'errors', errors });
      finish(deps, started, submission.userId, 'invalid', { fields: Object.keys(errors).join(',') });
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
    const outcome = await startVideoKyc(deps, sub.slack, sub, request);
    const { state } = outcome;
    if (!outcome.started) {
      await tell(deps, sub, say.vkycRejected(state.verificationId, state.status, state.subStatus));
      return { result: 'cashfree_error', detail: { code: state.subStatus || state.status } };
    }
    await tell(deps, sub, [say.vkycStarted(state.verificationId, sub.channelId), ...outcome.notes].join('\n\n'));
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

function pickedChannel(values: Record<string, Record<string, ViewStateValue>>): string {
  return values[CHANNEL_BLOCK]?.[VALUE_ACTION]?.selected_conversation ?? '';
}

/**
 * Why the picked channel will not do, in words for its field: none picked, off the allowed list (audited
 * like any refusal), or one the bot cannot post in (it must be a member: the bot has no chat:write.public).
 */
async function pickedChannelProblem(deps: CommandDeps, sub: Submission): Promise<string | undefined> {
  const words = say.vkycChannel;
  if (sub.channelId === '') return words.missing;
  if (!isAllowed(deps.config, sub)) {
    auditRefusal(deps, sub, 'vkyc_submit_channel');
    return words.notAllowed;
  }
  try {
    const info = await sub.slack.conversations.info({ channel: sub.channelId });
    return info.channel?.is_member === true ? undefined : words.notMember;
  } catch (error) {
    const { code } = slackFailure(error);
    // A private channel the bot is not in is hidden from it: Slack says it does not exist.
    return code === 'channel_not_found' ? words.notMember : describeSlackError(code);
  }
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
