import { TURNAROUND_WORDS } from '../text/words.js';
import type { StageFigure } from '../vkyc/turnaround.js';
import { drawText, GLYPH, textWidth } from './font.js';
import { blankRaster, encodePng, fillRect, type Rgb } from './png.js';

/** The weekly report's chart: p50 and p90 bars per stage, on a log scale (a queue takes minutes, a review hours). */
export const CHART_SIZE = { width: 720, height: 360 } as const;

const COLOURS = {
  background: [255, 255, 255],
  grid: [225, 228, 232],
  text: [60, 64, 67],
  p50: [38, 132, 196],
  p90: [230, 126, 34],
} satisfies Record<string, Rgb>;

const SCALE = 2;
const LINE = (GLYPH.height + 3) * SCALE;
const PLOT = { left: 56, right: 16, top: 48, bottom: 36 } as const;
const BAR = { width: 40, gap: 8 } as const;

const SECOND = 1_000;
const GRID: ReadonlyArray<[number, string]> = [
  [10 * SECOND, '10S'],
  [60 * SECOND, '1M'],
  [10 * 60 * SECOND, '10M'],
  [3600 * SECOND, '1H'],
  [86_400 * SECOND, '1D'],
  [7 * 86_400 * SECOND, '7D'],
];

/** A duration in at most five characters, for a label above a bar: 45S, 9M30S, 45M, 1H20M, 23H, 2D3H, 12D. */
export function compactDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}S`;
  if (s < 600) return `${Math.floor(s / 60)}M${s % 60 === 0 ? '' : `${s % 60}S`}`;
  if (s < 3600) return `${Math.floor(s / 60)}M`;
  const m = Math.floor(s / 60);
  if (s < 36_000) return `${Math.floor(m / 60)}H${m % 60 === 0 ? '' : `${m % 60}M`}`;
  if (s < 86_400) return `${Math.floor(m / 60)}H`;
  const h = Math.floor(s / 3600);
  if (s < 864_000) return `${Math.floor(h / 24)}D${h % 24 === 0 ? '' : `${h % 24}H`}`;
  return `${Math.floor(h / 24)}D`;
}

/** The chart as a PNG of CHART_SIZE. */
export function turnaroundChart(figures: readonly StageFigure[]): Buffer {
  const { width, height } = CHART_SIZE;
  const raster = blankRaster(width, height, COLOURS.background);
  const plotHeight = height - PLOT.top - PLOT.bottom;
  const baseline = height - PLOT.bottom;
  const longest = Math.max(60 * SECOND, ...figures.map((figure) => figure.p90 ?? 0));
  // Log scale from one second to twice the longest p90.
  const top = Math.log10((longest * 2) / SECOND);
  const heightOf = (ms: number) => Math.max(2, (Math.log10(Math.max(ms, SECOND) / SECOND) / top) * plotHeight);

  drawText(raster, 'TURNAROUND PER STAGE', PLOT.left, 12, SCALE, COLOURS.text);
  const legendX = width - PLOT.right - 150;
  fillRect(raster, legendX, 12, 10, 10, COLOURS.p50);
  drawText(raster, 'P50', legendX + 16, 12, SCALE, COLOURS.text);
  fillRect(raster, legendX + 70, 12, 10, 10, COLOURS.p90);
  drawText(raster, 'P90', legendX + 86, 12, SCALE, COLOURS.text);

  for (const [ms, label] of GRID) {
    if (ms > longest * 2) continue;
    const y = baseline - heightOf(ms);
    fillRect(raster, PLOT.left, y, width - PLOT.left - PLOT.right, 1, COLOURS.grid);
    drawText(raster, label, PLOT.left - 6 - textWidth(label, SCALE), y - (GLYPH.height * SCALE) / 2, SCALE, COLOURS.text);
  }
  fillRect(raster, PLOT.left, baseline, width - PLOT.left - PLOT.right, 1, COLOURS.text);

  const groupWidth = (width - PLOT.left - PLOT.right) / Math.max(1, figures.length);
  figures.forEach((figure, index) => {
    const centre = PLOT.left + groupWidth * index + groupWidth / 2;
    const name = TURNAROUND_WORDS.short[figure.stage];
    drawText(raster, name, centre - textWidth(name, SCALE) / 2, baseline + 10, SCALE, COLOURS.text);
    const bars: Array<[number | undefined, number, Rgb]> = [
      [figure.p50, centre - BAR.gap / 2 - BAR.width, COLOURS.p50],
      [figure.p90, centre + BAR.gap / 2, COLOURS.p90],
    ];
    for (const [ms, x, colour] of bars) {
      if (ms === undefined) continue;
      const barHeight = heightOf(ms);
      fillRect(raster, x, baseline - barHeight, BAR.width, barHeight, colour);
      const label = compactDuration(ms);
      drawText(raster, label, x + (BAR.width - textWidth(label, SCALE)) / 2, baseline - barHeight - LINE, SCALE, COLOURS.text);
    }
    if (figure.p50 === undefined) drawText(raster, '-', centre - textWidth('-', SCALE) / 2, baseline - LINE, SCALE, COLOURS.text);
  });
  return encodePng(raster);
}
