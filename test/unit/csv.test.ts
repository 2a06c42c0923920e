import { describe, expect, it } from 'vitest';
import { readPageValue } from '../../src/listeners/actions/pages.js';
import { historyCsv, toCsv } from '../../src/slack/csv.js';
import type { HistoryEntry } from '../../src/store/store.js';

describe('CSV files (src/slack/csv.ts)', () => {
  it('quotes what needs quoting, and no field reads as a spreadsheet formula', () => {
    const csv = toCsv(['a', 'b'], [['plain', 'with, comma'], ['say "hi"', 'two\nlines'], ['=HYPERLINK("x")', '+1'], ['-2', '@SUM(A1)']]);
    expect(csv).toBe(
      '\uFEFFa,b\r\nplain,"with, comma"\r\n"say ""hi""","two\nlines"\r\n"\'=HYPERLINK(""x"")",\'+1\r\n\'-2,\'@SUM(A1)\r\n',
    );
  });

  it('a history says whether a recording exists, never where', () => {
    const entry: HistoryEntry = {
      id: 1, verification_id: 'v1', status: 'VIDEO_CALL', sub_status: 'CALL_COMPLETED', previous_status: 'PRE_VIDEO_CALL',
      previous_sub_status: 'USER_QUEUED', meeting_schedule: '2025-07-09T14:50:00Z', has_recording: 1, final_reason: null,
      observed_at: Date.parse('2025-07-09T15:00:00Z'), first_posted_at: null,
    };
    expect(historyCsv([entry]).split('\r\n')[1]).toBe('2025-07-09T15:00:00.000Z,VIDEO_CALL,CALL_COMPLETED,PRE_VIDEO_CALL,USER_QUEUED,,,yes');
  });
});

describe('page button values (src/listeners/actions/pages.ts)', () => {
  it('reads what the builders write, and nothing else', () => {
    expect(readPageValue('{"page":2}')).toEqual({ page: 2 });
    expect(readPageValue('{"page":3,"id":"vk_1"}')).toEqual({ page: 3, id: 'vk_1' });
    for (const bad of ['', 'vk_1', '{"page":0}', '{"page":1.5}', '{"page":"2"}', '{"id":"vk_1"}', '{"page":2,"id":""}', 'null', '[1]']) {
      expect(readPageValue(bad), bad).toBeUndefined();
    }
  });
});
