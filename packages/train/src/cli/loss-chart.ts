import asciichart from 'asciichart';

/**
 * A small terminal plot of the training loss per epoch (asciichart), with a heading, for the
 * end of `quiver train`. Non-finite losses (ALS with `computeLoss: false`) are left out; with
 * fewer than two finite values there is nothing to draw and the result is `''`.
 *
 * @param loss Loss per epoch, first epoch first.
 * @param height Rows of the plot area. @defaultValue 8
 * @returns The chart lines joined by `\n`, ending with a newline, or `''`.
 * @example
 * process.stderr.write(lossChart(history.loss));
 */
export function lossChart(loss: readonly number[], height = 8): string {
  const values = loss.filter((x) => Number.isFinite(x));
  if (values.length < 2) return '';
  const plot = asciichart.plot(values, {
    height,
    format: (x: number) => x.toPrecision(4).padStart(10),
  });
  const skipped = loss.length - values.length;
  return `training loss per epoch (1 → ${loss.length}${skipped > 0 ? `, ${skipped} non-finite left out` : ''}):\n${plot}\n`;
}
