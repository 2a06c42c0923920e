import { ErrorCode } from '@slack/web-api';

/** What went wrong in a Slack call, reduced to what the bot decides on. */
export interface SlackFailure {
  /** Slack's error code (`not_in_channel`), `ratelimited`, `http_<status>` or `network_error`. */
  code: string;
  retryAfterMs: number | undefined;
  /** The message this post belongs to is gone: retrying can never succeed. */
  targetGone: boolean;
  /** Slack may have done it anyway: the request timed out or the connection broke, or Slack answered 5xx. */
  inDoubt: boolean;
}

const TARGET_GONE = new Set(['message_not_found', 'thread_not_found', 'cant_update_message', 'edit_window_closed']);

/**
 * A call the bot held back itself, so as to honour Slack's rate limit (a Retry-After still running, or
 * no slot left in the lane before its caller's deadline): Slack was not asked. To every caller it is a 429.
 */
export class SlackHeldBack extends Error {
  override name = 'SlackHeldBack';
  constructor(
    readonly method: string,
    readonly retryAfterMs: number,
  ) {
    super(`${method} held back for Slack's rate limit`);
  }
}

export function slackFailure(error: unknown): SlackFailure {
  if (error instanceof SlackHeldBack) return { code: 'ratelimited', retryAfterMs: error.retryAfterMs, targetGone: false, inDoubt: false };
  const e = error as { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number } | null;
  let code = 'unknown_error';
  let retryAfterMs: number | undefined;
  switch (e?.code) {
    case ErrorCode.PlatformError:
      code = e.data?.error ?? 'unknown_error';
      break;
    case ErrorCode.RateLimitedError:
      code = 'ratelimited';
      retryAfterMs = (e.retryAfter ?? 1) * 1000;
      break;
    case ErrorCode.HTTPError:
      code = `http_${e.statusCode ?? 'error'}`;
      break;
    case ErrorCode.RequestError:
      code = 'network_error';
      break;
    default:
      if (typeof e?.statusCode === 'number') code = `http_${e.statusCode}`;
  }
  const inDoubt = code === 'network_error' || /^http_5/.test(code);
  return { code, retryAfterMs, targetGone: TARGET_GONE.has(code), inDoubt };
}

/** Errors thrown by @slack/web-api all carry a `slack_…` code; a call held back for Slack's rate limit is one too. */
export function isSlackApiError(error: unknown): boolean {
  if (error instanceof SlackHeldBack) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('slack_');
}
