const IST_OFFSET_MS = (5 * 60 + 30) * 60_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function formatUtcFields(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

/** "2025-07-09 14:50 UTC (20:20 IST)"; the date in IST is named too when it differs. Unparseable input is shown as it is. */
export function utcAndIst(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const utc = formatUtcFields(new Date(ms));
  const ist = formatUtcFields(new Date(ms + IST_OFFSET_MS));
  const sameDay = utc.slice(0, 10) === ist.slice(0, 10);
  return `${utc} UTC (${sameDay ? ist.slice(11) : ist} IST)`;
}

/** Slack renders this in each reader's own time zone; the fallback is UTC. */
export function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${formatUtcFields(new Date(ms))} UTC>`;
}
