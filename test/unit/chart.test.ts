import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CHART_SIZE, compactDuration, turnaroundChart } from '../../src/slack/chart.js';
import { blankRaster, encodePng, fillRect } from '../../src/slack/png.js';
import { chartAltText, turnaroundCsv } from '../../src/slack/turnaround.js';
import { durationWords } from '../../src/text/words.js';
import { STAGES, type StageFigure } from '../../src/vkyc/turnaround.js';

const MIN = 60_000;

describe('the PNG encoder', () => {
  it('writes a PNG that a decoder reads back pixel for pixel', () => {
    const raster = blankRaster(5, 3, [255, 255, 255]);
    fillRect(raster, 1, 1, 2, 1, [10, 20, 30]);
    const png = PNG.sync.read(encodePng(raster));
    expect([png.width, png.height]).toEqual([5, 3]);
    const at = (x: number, y: number) => [...png.data.subarray((y * 5 + x) * 4, (y * 5 + x) * 4 + 4)];
    expect(at(1, 1)).toEqual([10, 20, 30, 255]);
    expect(at(3, 1)).toEqual([255, 255, 255, 255]);
    expect(at(0, 0)).toEqual([255, 255, 255, 255]);
  });
});

describe('the turnaround chart', () => {
  const figures: StageFigure[] = STAGES.map((stage, i) =>
    stage === 'review' ? { stage, count: 0, p50: undefined, p90: undefined } : { stage, count: 2, p50: (i + 1) * MIN, p90: (i + 2) * 10 * MIN },
  );

  it('is a PNG of the stated size, with bars in both colours', () => {
    const png = PNG.sync.read(turnaroundChart(figures));
    expect([png.width, png.height]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    expect(colours).toContain('38,132,196');
    expect(colours).toContain('230,126,34');
  });

  it('carries every figure in its alt text', () => {
    const alt = chartAltText(figures, '23 Nov 2026', '29 Nov 2026');
    expect(alt).toContain('23 Nov 2026 to 29 Nov 2026');
    expect(alt).toContain('Link → first step: p50 1 min, p90 20 min (2)');
    expect(alt).toContain('Review → auditor decision: no figures');
    expect(alt.length).toBeLessThanOrEqual(1000);
  });

  it('labels durations in five characters at most', () => {
    expect([45_000, 9.5 * MIN, 45 * MIN, 80 * MIN, 23 * 60 * MIN, 51 * 60 * MIN, 12 * 24 * 60 * MIN].map(compactDuration)).toEqual([
      '45S',
      '9M30S',
      '45M',
      '1H20M',
      '23H',
      '2D3H',
      '12D',
    ]);
  });
});

describe('durations in words', () => {
  it('reads as a person says it', () => {
    expect([0, 45_000, 9 * MIN, 9.5 * MIN, 60 * MIN, 81 * MIN, 25 * 60 * MIN].map(durationWords)).toEqual([
      '0 s',
      '45 s',
      '9 min',
      '9 min 30 s',
      '1 h',
      '1 h 21 min',
      '1 d 1 h',
    ]);
  });
});

describe('the turnaround CSV', () => {
  it('has one row per verification with seconds per stage, empty where not observed', () => {
    const csv = turnaroundCsv([
      { verificationId: 'vk_1', template: 'tpl', owner: 'U1', outcome: 'approved', endedAt: Date.UTC(2026, 10, 24), stages: { queue: { ms: 90_000, endedAt: 0 } } },
      { verificationId: '=cmd', template: undefined, owner: 'U2', outcome: undefined, endedAt: undefined, stages: {} },
    ]);
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'verification_id,template,owner,outcome,ended_at_utc,link_to_first_step_s,pre_call_s,queue_wait_s,call_to_agent_decision_s,review_to_auditor_decision_s,end_to_end_s',
    );
    expect(lines[1]).toBe('vk_1,tpl,U1,approved,2026-11-24T00:00:00.000Z,,,90,,,');
    // A spreadsheet never reads a field as a formula.
    expect(lines[2]).toBe("'=cmd,,U2,in_progress,,,,,,,");
  });
});
