import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BarProgress } from './bar-progress.js';
import { createProgress } from './create-progress.js';
import { LogProgress } from './log-progress.js';
import { formatMetric, formatThroughput } from './progress-reporter.js';
import { SilentProgress } from './silent-progress.js';

const epoch = (n: number, of: number) => ({ epoch: n, epochs: of, logs: { loss: 0.5, val_rmse: 0.91234 }, seconds: 0.5, examples: 100_000 });

describe('LogProgress', () => {
  it('writes logfmt lines: start, first and last epoch always, throttled in between', () => {
    const lines: string[] = [];
    const p = new LogProgress((l) => lines.push(l), 60_000);
    p.start('biased-mf', 4, 100_000);
    for (let e = 1; e <= 4; e++) p.epochEnd(epoch(e, 4));
    expect(lines).toEqual([
      'quiver event=start model=biased-mf epochs=4 examples=100000',
      'quiver epoch=1/4 loss=0.5000 val_rmse=0.9123 seconds=0.500 throughput=200k/s',
      'quiver epoch=4/4 loss=0.5000 val_rmse=0.9123 seconds=0.500 throughput=200k/s',
    ]);
  });
  it('prints every epoch with a zero interval', () => {
    const lines: string[] = [];
    const p = new LogProgress((l) => lines.push(l), 0);
    for (let e = 1; e <= 3; e++) p.epochEnd(epoch(e, 3));
    expect(lines).toHaveLength(3);
  });
});

describe('createProgress', () => {
  it('picks a bar on a TTY, log lines on a pipe, nothing for none', () => {
    const pipe = new PassThrough();
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect(createProgress('auto', pipe)).toBeInstanceOf(LogProgress);
    expect(createProgress('auto', tty)).toBeInstanceOf(BarProgress);
    expect(createProgress('none', tty)).toBeInstanceOf(SilentProgress);
    expect(createProgress('log', tty)).toBeInstanceOf(LogProgress);
    expect(() => createProgress('loud' as never)).toThrow(/createProgress: mode must be one of 'auto', 'bar', 'log', 'none', got "loud"/);
  });
  it('the bar draws the epoch, loss and throughput on its stream', () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 200, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
    let text = '';
    stream.on('data', (d) => (text += d.toString()));
    const bar = new BarProgress(stream);
    bar.start('als', 2, 1000);
    bar.epochEnd(epoch(1, 2));
    bar.stop();
    expect(text).toMatch(/als \|.*\| epoch 1\/2 \| loss 0\.5000 val_rmse 0\.9123 \| 200k\/s/);
  });
});

describe('formatting', () => {
  it('formats metrics and throughput', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(3)).toBe('3');
    expect(formatMetric(NaN)).toBe('NaN');
    expect(formatMetric(0.00001234)).toBe('1.234e-5');
    expect(formatThroughput(2_500_000, 1)).toBe('2.5M/s');
    expect(formatThroughput(950, 1)).toBe('950/s');
    expect(formatThroughput(5, 0)).toBe('-');
  });
});
