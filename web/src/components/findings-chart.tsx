import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { Summary } from '../api-types.js';
import { formatInstant } from '../format.js';

type Point = Summary['findingsOverTime'][number];

const SERIES = [
  { key: 'open', label: 'Open (all)', stroke: '#0f172a', width: 2.5 },
  { key: 'critical', label: 'Critical', stroke: '#9f1239', width: 1.75 },
  { key: 'high', label: 'High', stroke: '#c2410c', width: 1.75 },
  { key: 'medium', label: 'Medium', stroke: '#a16207', width: 1.75 },
  { key: 'low', label: 'Low', stroke: '#1d4ed8', width: 1.75 },
] as const;

function valueOf(p: Point, key: (typeof SERIES)[number]['key']): number {
  return key === 'open' ? p.open : (p.bySeverity[key] ?? 0);
}

const DAY = 86_400;

/**
 * Open findings after each judgement (one point per run that judged), drawn with uPlot. A
 * table beside it carries the same numbers for screen readers and for copying.
 */
export function FindingsChart({ points }: { points: readonly Point[] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el || points.length === 0) return;
    const xs = points.map((p) => Date.parse(p.at) / 1000);
    const data: uPlot.AlignedData = [
      xs,
      ...SERIES.map((s) => points.map((p) => valueOf(p, s.key))),
    ];
    const first = xs[0]!;
    const last = xs[xs.length - 1]!;
    const pad = last - first < DAY ? DAY : (last - first) * 0.04;
    const opts: uPlot.Options = {
      width: Math.max(320, el.clientWidth),
      height: 240,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true, range: [first - pad, last + pad] },
        y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        {
          stroke: '#334155',
          grid: { stroke: '#e2e8f0' },
          ticks: { stroke: '#cbd5e1' },
          space: 90,
          size: 48,
          values: (_u, splits) => splits.map((ts) => axisLabel(ts, 2 * pad + last - first)),
        },
        {
          stroke: '#334155',
          grid: { stroke: '#e2e8f0' },
          ticks: { stroke: '#cbd5e1' },
          label: 'open findings',
        },
      ],
      series: [
        {
          label: 'Judged (UTC)',
          value: (_u, v) => (v == null ? '—' : formatInstant(new Date(v * 1000).toISOString())),
        },
        ...SERIES.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          width: s.width,
          points: { show: true, size: 7, fill: s.stroke },
        })),
      ],
      legend: { live: false },
    };
    const plot = new uPlot(opts, data, el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(320, el.clientWidth), height: 240 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [points]);

  if (points.length === 0) {
    return (
      <p class="empty">No judgement has run yet: ingest an export to see findings over time.</p>
    );
  }
  return (
    <figure class="chart">
      <div ref={box} class="chart-canvas" role="img" aria-label={chartLabel(points)} />
      <figcaption class="help">
        Open findings after each judgement, by severity ({points.length} judgement
        {points.length === 1 ? '' : 's'}).
      </figcaption>
      <details class="chart-table">
        <summary>Show the numbers</summary>
        <table class="data compact">
          <thead>
            <tr>
              <th scope="col">Judged</th>
              {SERIES.map((s) => (
                <th scope="col" class="num" key={s.key}>
                  {s.label}
                </th>
              ))}
              <th scope="col" class="num">
                Opened
              </th>
              <th scope="col" class="num">
                Closed
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.at}>
                <td>{formatInstant(p.at)}</td>
                {SERIES.map((s) => (
                  <td class="num" key={s.key}>
                    {valueOf(p, s.key)}
                  </td>
                ))}
                <td class="num">{p.opened}</td>
                <td class="num">{p.closed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Axis labels in UTC, ISO-like: `2026-12-01` over weeks, `12-01` over `06:00` within days. */
function axisLabel(ts: number, span: number): string {
  const iso = new Date(ts * 1000).toISOString();
  return span > 4 * DAY ? iso.slice(0, 10) : `${iso.slice(5, 10)}\n${iso.slice(11, 16)}`;
}

function chartLabel(points: readonly Point[]): string {
  const last = points[points.length - 1]!;
  return (
    `Chart of open findings over ${points.length} judgements; the latest, ` +
    `${formatInstant(last.at)}, has ${last.open} open.`
  );
}
