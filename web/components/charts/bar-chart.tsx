import { ScrollRegion } from '@/components/layout/scroll-region';
import { linearScale, niceTicks } from './scale';

/**
 * One bar: where it sits on the axis, its height, and what a reader hears or hovers.
 * `partial`: its period is only partly inside the range, drawn hatched so it does not read as a drop.
 */
export type Bar = { key: string; label: string; value: number; description: string; partial?: boolean };

type BarChartProps = {
  title: string;
  bars: readonly Bar[];
  formatTick: (value: number) => string;
  /** Label every n-th bar on the x axis so labels never overlap. */
  labelEvery?: number;
  height?: number;
};

const WIDTH = 720;
const PAD = { top: 12, right: 8, bottom: 28, left: 64 };

/** A bar chart drawn as static SVG on the server: no chart library, no client JavaScript. */
export function BarChart({ title, bars, formatTick, labelEvery = 1, height = 240 }: BarChartProps) {
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const y = linearScale([0, top], [height - PAD.bottom, PAD.top]);
  const slot = (WIDTH - PAD.left - PAD.right) / Math.max(1, bars.length);
  const barWidth = Math.max(1, slot * 0.75);
  return (
    <ScrollRegion label={title} className="chart-scroll">
      <svg
        className="chart"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={title}
        preserveAspectRatio="none"
      >
        <title>{title}</title>
        {ticks.map((tick) => (
          <g key={tick} className="chart-grid">
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text x={PAD.left - 6} y={y(tick)} dy="0.32em" textAnchor="end">
              {formatTick(tick)}
            </text>
          </g>
        ))}
        {bars.map((bar, index) => {
          const x = PAD.left + index * slot + (slot - barWidth) / 2;
          const barTop = y(bar.value);
          return (
            <g key={bar.key}>
              <rect
                className={bar.partial ? 'chart-bar chart-bar-partial' : 'chart-bar'}
                x={x}
                y={barTop}
                width={barWidth}
                height={Math.max(0, height - PAD.bottom - barTop)}
              >
                <title>{bar.description}</title>
              </rect>
              {index % labelEvery === 0 ? (
                <text className="chart-axis-label" x={x + barWidth / 2} y={height - 8} textAnchor="middle">
                  {bar.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </ScrollRegion>
  );
}
