// A live line chart (uPlot) of the last samples: drawn once, then only fed new data.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const COLORS = ["#38bdf8", "#a78bfa", "#34d399", "#facc15", "#f87171", "#fb923c", "#22d3ee", "#e879f9"];

export function Chart(props: {
  title: string;
  /** x (seconds) first, then one array per series. */
  data: number[][];
  series: string[];
  unit: string;
  max?: number;
  testId: string;
  /** The language of axis labels. */
  lang: "pl" | "en";
  /** The name of the time axis. */
  timeLabel: string;
}) {
  const { title, data, series, unit, max, testId, lang, timeLabel } = props;
  const locale = lang === "en" ? "en-GB" : "pl-PL";
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.join("|");

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 240),
      height: 160,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: { x: { time: true }, y: max === undefined ? { auto: true, range: (_u, _min, hi) => [0, Math.max(hi, 1)] } : { range: [0, max] } },
      axes: [
        {
          stroke: "#8b96b3",
          grid: { stroke: "#243050" },
          ticks: { stroke: "#243050" },
          space: 70,
          values: (_u, ticks) => ticks.map((v) => new Date(v * 1000).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit" })),
        },
        {
          stroke: "#8b96b3",
          grid: { stroke: "#243050" },
          ticks: { stroke: "#243050" },
          values: (_u, ticks) => ticks.map((v) => `${v.toLocaleString(locale, { maximumFractionDigits: v < 10 ? 1 : 0 })}${unit}`),
          // Room for the widest label, e.g. "1 200 KiB/s".
          size: unit.length > 2 ? 96 : 64,
        },
      ],
      series: [{ label: timeLabel }, ...series.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: false } }))],
    };
    plot.current = new uPlot(opts, data as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(el.clientWidth, 240), height: 160 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The chart is rebuilt only when its series change; data goes in through setData.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, unit, max, locale, timeLabel]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return (
    <figure className="chart" data-testid={testId} data-samples={data[0]?.length ?? 0}>
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={title} />
    </figure>
  );
}
