import { describe, expect, it } from 'vitest';
import { lossChart } from './loss-chart.js';

describe('lossChart', () => {
  it('draws a falling curve from the top-left row to the bottom-right row with labelled extremes', () => {
    const text = lossChart([1, 0.8, 0.6, 0.5, 0.45, 0.42], 4);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('training loss per epoch (1 → 6):');
    const plot = lines.slice(1);
    expect(plot).toHaveLength(5); // height + 1 rows
    expect(plot[0]).toMatch(/^\s+1\.000 ┼╮/); // the largest value labels the top row, where epoch 1 sits on the axis
    expect(plot[4]).toMatch(/^\s+0\.4200 ┤/); // the smallest labels the bottom row
    // Epochs 2..6 take one column each after the axis; the curve ends on the bottom row.
    const afterAxis = (row: string) => row.slice(row.search(/[┤┼]/) + 1);
    expect(afterAxis(plot[4]).trimEnd()).toMatch(/^ +╰─+$/);
    expect(afterAxis(plot[4]).trimEnd().length).toBe(5);
  });

  it('leaves out non-finite values and draws nothing for fewer than two points', () => {
    expect(lossChart([NaN, 2, 1], 2)).toMatch(/^training loss per epoch \(1 → 3, 1 non-finite left out\):\n/);
    expect(lossChart([0.5])).toBe('');
    expect(lossChart([NaN, NaN, NaN])).toBe('');
  });
});
