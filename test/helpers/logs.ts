/** The JSON log records among output lines (lines that are not JSON, such as a start-up failure, are skipped). */
export function logRecordsOf(lines: readonly string[]): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  for (const line of lines) {
    try {
      const parsed: unknown = JSON.parse(line);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) records.push(Object.fromEntries(Object.entries(parsed)));
    } catch {
      // not a log record
    }
  }
  return records;
}
