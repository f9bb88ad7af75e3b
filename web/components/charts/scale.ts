/** A linear map from a data domain onto a pixel range. */
export function linearScale(domain: [number, number], range: [number, number]): (value: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** About `count` round tick values from 0 (or `min`) up to at least `max`. */
export function niceTicks(max: number, count = 4, min = 0): number[] {
  const raw = (max - min) / count || 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  // Up to the first tick at or above max, so the tallest value stays inside the axis.
  for (let tick = first; ticks.length === 0 || (ticks[ticks.length - 1] ?? 0) < max; tick += step) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  if (ticks.length === 1) ticks.push(Number((first + step).toPrecision(12)));
  return ticks;
}

/** An SVG path through the points, skipping gaps (null values). */
export function linePath(points: readonly (readonly [number, number | null])[]): string {
  let path = '';
  let pen = false;
  for (const [x, y] of points) {
    if (y === null) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return path;
}
