import { fillRect, type Raster, type Rgb } from './png.js';

/**
 * A 3×5 bitmap font for the chart's labels: capitals, digits and a few signs. The alt text carries every
 * figure; the labels only help a sighted reader.
 */
const GLYPHS: Record<string, string> = {
  A: '.#.#.#####.##.#',
  B: '##.#.###.#.###.',
  C: '.###..#..#...##',
  D: '##.#.##.##.###.',
  E: '####..##.#..###',
  F: '####..##.#..#..',
  G: '.###..#.##.#.##',
  H: '#.##.#####.##.#',
  I: '###.#..#..#.###',
  J: '..#..#..##.#.#.',
  K: '#.##.###.#.##.#',
  L: '#..#..#..#..###',
  M: '#.#####.##.##.#',
  N: '##.#.##.##.##.#',
  O: '.#.#.##.##.#.#.',
  P: '##.#.###.#..#..',
  Q: '####.##.####..#',
  R: '##.#.###.#.##.#',
  S: '.###...#...###.',
  T: '###.#..#..#..#.',
  U: '#.##.##.##.####',
  V: '#.##.##.##.#.#.',
  W: '#.##.########.#',
  X: '#.##.#.#.#.##.#',
  Y: '#.##.#.#..#..#.',
  Z: '###..#.#.#..###',
  '0': '####.##.##.####',
  '1': '.#.##..#..#.###',
  '2': '##...#.#.#..###',
  '3': '##...#.#...###.',
  '4': '#.##.####..#..#',
  '5': '####..##...###.',
  '6': '.###..####.####',
  '7': '###..#.#..#..#.',
  '8': '####.#####.####',
  '9': '####.####..###.',
  '-': '......###......',
  '.': '.............#.',
  '/': '..#..#.#.#..#..',
  ':': '....#.....#....',
  ' ': '...............',
};

export const GLYPH = { width: 3, height: 5, gap: 1 } as const;

/** How wide `text` is when drawn at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length === 0 ? 0 : (text.length * (GLYPH.width + GLYPH.gap) - GLYPH.gap) * scale;
}

/** Draws `text` (characters the font lacks are left blank) with its top-left corner at x, y. */
export function drawText(raster: Raster, text: string, x: number, y: number, scale: number, colour: Rgb): void {
  [...text.toUpperCase()].forEach((char, index) => {
    const glyph = (GLYPHS[char] ?? GLYPHS[' '] ?? '').padEnd(GLYPH.width * GLYPH.height, '.');
    const left = x + index * (GLYPH.width + GLYPH.gap) * scale;
    for (let cell = 0; cell < GLYPH.width * GLYPH.height; cell += 1) {
      if (glyph[cell] !== '#') continue;
      fillRect(raster, left + (cell % GLYPH.width) * scale, y + Math.floor(cell / GLYPH.width) * scale, scale, scale, colour);
    }
  });
}
