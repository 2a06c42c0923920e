/**
 * Slack's Block Kit limits the builders design to (https://docs.slack.dev/reference/block-kit/blocks; the
 * simulator checks the same numbers on its own, sim/slack-block-kit.ts). Lengths are UTF-16 code units, as
 * `clip` counts them.
 */
export const SLACK_LIMITS = {
  /** A section's text, a context element's, any text object. */
  text: 3_000,
  field: 2_000,
  header: 150,
  buttonText: 75,
  buttonValue: 2_000,
} as const;
