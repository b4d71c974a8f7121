// The picture: an SVG built here (no chart library) and rendered to PNG with resvg.
//   top left:  rows written per second during the drain (before/after tuning, Cassandra's ceiling)
//   top right: end-to-end latency distribution (CDF) with p50/p95/p99 marked
//   bottom:    every drain variant's rate against the ceiling, and the headline ratios
import { writeFileSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { percentile } from './stats.js';

export interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
  dashed?: boolean;
}

export interface ChartInput {
  title: string;
  subtitle: string;
  drain: { series: Series[]; ceilingRate: number };
  latency: { series: { label: string; color: string; values: number[] }[] };
  bars: { label: string; value: number; color: string; note?: string }[];
  barsReference: { label: string; value: number };
  ratios: { label: string; value: string }[];
}

const FONT = 'DejaVu Sans, sans-serif';
const esc = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const fmt = (n: number): string => (n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n)}`);

/** Round tick step (1, 2, 5 × 10^k) giving about `count` ticks over [0, max]. */
function ticks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(v);
  return out;
}

function text(x: number, y: number, s: string, opts: { size?: number; anchor?: string; color?: string; weight?: string; rotate?: boolean } = {}): string {
  const transform = opts.rotate ? ` transform="rotate(-90 ${x} ${y})"` : '';
  return `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${opts.size ?? 13}" fill="${opts.color ?? '#222'}" text-anchor="${opts.anchor ?? 'start'}" font-weight="${opts.weight ?? 'normal'}"${transform}>${esc(s)}</text>`;
}

interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Axes with grid; returns the mapping functions. */
function axes(
  f: Frame,
  xMax: number,
  yMax: number,
  xLabel: string,
  yLabel: string,
  xFmt: (n: number) => string = fmt,
): { svg: string; sx: (v: number) => number; sy: (v: number) => number } {
  const sx = (v: number): number => f.x + (v / xMax) * f.w;
  const sy = (v: number): number => f.y + f.h - (v / yMax) * f.h;
  let svg = `<rect x="${f.x}" y="${f.y}" width="${f.w}" height="${f.h}" fill="#fafafa" stroke="#ccc"/>`;
  for (const t of ticks(yMax)) {
    svg +=
      `<line x1="${f.x}" x2="${f.x + f.w}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e4e4e4"/>` +
      text(f.x - 8, sy(t) + 4, fmt(t), { anchor: 'end', size: 12, color: '#555' });
  }
  for (const t of ticks(xMax, 8)) {
    svg +=
      `<line x1="${sx(t)}" x2="${sx(t)}" y1="${f.y}" y2="${f.y + f.h}" stroke="#eee"/>` +
      text(sx(t), f.y + f.h + 18, xFmt(t), { anchor: 'middle', size: 12, color: '#555' });
  }
  svg += text(f.x + f.w / 2, f.y + f.h + 38, xLabel, { anchor: 'middle', size: 13, color: '#333' });
  svg += text(f.x - 52, f.y + f.h / 2, yLabel, { anchor: 'middle', size: 13, color: '#333', rotate: true });
  return { svg, sx, sy };
}

function legend(x: number, y: number, items: { label: string; color: string; dashed?: boolean }[]): string {
  const width = 40 + Math.max(...items.map((it) => it.label.length)) * 7;
  const box = `<rect x="${x - 8}" y="${y - 16}" width="${width}" height="${items.length * 20 + 8}" fill="white" fill-opacity="0.85" stroke="#ddd"/>`;
  return (
    box +
    items
      .map((it, i) => {
        const yy = y + i * 20;
        return (
          `<line x1="${x}" x2="${x + 26}" y1="${yy - 4}" y2="${yy - 4}" stroke="${it.color}" stroke-width="3"${it.dashed ? ' stroke-dasharray="6 4"' : ''}/>` +
          text(x + 32, yy, it.label, { size: 12 })
        );
      })
      .join('')
  );
}

function polyline(points: { x: number; y: number }[], sx: (v: number) => number, sy: (v: number) => number, color: string, dashed = false): string {
  const d = points.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  return `<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round"${dashed ? ' stroke-dasharray="6 4"' : ''}/>`;
}

export function buildSvg(input: ChartInput): string {
  const W = 1400;
  const H = 900;
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect width="${W}" height="${H}" fill="white"/>`;
  svg += text(40, 38, input.title, { size: 22, weight: 'bold' }) + text(40, 62, input.subtitle, { size: 13, color: '#555' });

  // Drain throughput over time.
  {
    const f: Frame = { x: 100, y: 110, w: 560, h: 330 };
    const xMax = Math.max(1, ...input.drain.series.flatMap((s) => s.points.map((p) => p.x)));
    // Scale to the bulk of the points (a single sampling hiccup must not flatten every line).
    const ys = input.drain.series.flatMap((s) => s.points.map((p) => p.y)).sort((a, b) => a - b);
    const yMax = Math.max(input.drain.ceilingRate, percentile(ys, 99)) * 1.15;
    svg += `<defs><clipPath id="drain"><rect x="${f.x}" y="${f.y}" width="${f.w}" height="${f.h}"/></clipPath></defs>`;
    svg += text(f.x, f.y - 14, 'Drain: rows written to Cassandra per second', { size: 15, weight: 'bold' });
    const a = axes(f, xMax, yMax, 'seconds since the job started (the backlog waits in Kafka)', 'rows / s');
    svg += a.svg;
    svg += `<line x1="${f.x}" x2="${f.x + f.w}" y1="${a.sy(input.drain.ceilingRate)}" y2="${a.sy(input.drain.ceilingRate)}" stroke="#888" stroke-width="1.5" stroke-dasharray="3 3"/>`;
    svg += text(f.x + f.w - 6, a.sy(input.drain.ceilingRate) + 16, `Cassandra ceiling ${fmt(input.drain.ceilingRate)}/s (saturated sweep)`, {
      anchor: 'end',
      size: 12,
      color: '#555',
    });
    svg += `<g clip-path="url(#drain)">${input.drain.series.map((s) => polyline(s.points, a.sx, a.sy, s.color, s.dashed)).join('')}</g>`;
    svg += legend(f.x + 12, f.y + 20, input.drain.series);
  }

  // Latency CDF.
  {
    const f: Frame = { x: 790, y: 110, w: 560, h: 330 };
    const all = input.latency.series.flatMap((s) => s.values);
    const sortedAll = [...all].sort((a, b) => a - b);
    const xMax = Math.max(100, percentile(sortedAll, 99.9) * 1.1);
    svg += text(f.x, f.y - 14, 'End-to-end latency per row (share of rows at or below)', { size: 15, weight: 'bold' });
    const a = axes(f, xMax, 100, 'milliseconds after produced_at', '% of rows', (n) => `${Math.round(n)}`);
    svg += a.svg;
    input.latency.series.forEach((s, i) => {
      const sorted = [...s.values].sort((x, y) => x - y);
      const n = sorted.length;
      const step = Math.max(1, Math.floor(n / 400));
      const pts: { x: number; y: number }[] = [];
      for (let k = 0; k < n; k += step) pts.push({ x: Math.min(sorted[k]!, xMax), y: ((k + 1) / n) * 100 });
      if (n > 0) pts.push({ x: Math.min(sorted[n - 1]!, xMax), y: 100 });
      svg += polyline(pts, a.sx, a.sy, s.color);
      for (const [p, label] of [
        [50, 'p50'],
        [95, 'p95'],
        [99, 'p99'],
      ] as const) {
        const v = percentile(sorted, p);
        const cx = a.sx(Math.min(v, xMax));
        svg +=
          `<circle cx="${cx}" cy="${a.sy(p)}" r="4.5" fill="${s.color}"/>` +
          text(cx + 7, a.sy(p) + 14 + i * 14, `${label} ${Math.round(v)} ms`, { size: 11, color: s.color });
      }
    });
    svg += legend(
      f.x + f.w - 320,
      f.y + f.h - 46,
      input.latency.series.map((s) => ({ label: s.label, color: s.color })),
    );
  }

  // Drain variants against the ceiling.
  {
    const f: Frame = { x: 330, y: 560, w: 600, h: 0 };
    const rowH = 24;
    f.h = input.bars.length * rowH;
    const max = Math.max(input.barsReference.value, ...input.bars.map((b) => b.value)) * 1.05;
    const sx = (v: number): number => f.x + (v / max) * f.w;
    svg += text(40, f.y - 22, 'Drain rate of each job configuration (rows/s, same backlog)', { size: 15, weight: 'bold' });
    input.bars.forEach((b, i) => {
      const y = f.y + i * rowH;
      svg += text(f.x - 10, y + 16, b.label, { anchor: 'end', size: 12 });
      svg += `<rect x="${f.x}" y="${y + 3}" width="${Math.max(1, sx(b.value) - f.x)}" height="${rowH - 7}" fill="${b.color}"/>`;
      svg += text(sx(b.value) + 6, y + 16, `${fmt(b.value)}/s${b.note ? `  ${b.note}` : ''}`, { size: 12, color: '#333' });
    });
    const rx = sx(input.barsReference.value);
    svg += `<line x1="${rx}" x2="${rx}" y1="${f.y - 4}" y2="${f.y + f.h + 4}" stroke="#888" stroke-width="1.5" stroke-dasharray="3 3"/>`;
    svg += text(rx, f.y + f.h + 20, `${input.barsReference.label} ${fmt(input.barsReference.value)}/s`, { anchor: 'middle', size: 12, color: '#555' });

    // Headline ratios.
    const bx = 1080;
    svg += text(bx, f.y - 22, 'Headline figures', { size: 15, weight: 'bold' });
    input.ratios.forEach((r, i) => {
      svg +=
        text(bx, f.y + 10 + i * 44, r.value, { size: 20, weight: 'bold', color: '#1f5fa8' }) +
        text(bx, f.y + 28 + i * 44, r.label, { size: 12, color: '#444' });
    });
  }
  return `${svg}</svg>`;
}

export function renderPng(svg: string, file: string): void {
  const resvg = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'width', value: 1400 } });
  writeFileSync(file, resvg.render().asPng());
}

/** rows/s over a sliding window from cumulative (t seconds, rows) samples. */
export function ratesFromCumulative(samples: { t: number; rows: number }[], windowS = 2): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [{ x: 0, y: 0 }];
  let j = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    while (j < i && s.t - samples[j]!.t > windowS) j++;
    const from = samples[j === i ? Math.max(0, i - 1) : j]!;
    const dt = s.t - from.t;
    if (dt > 0) out.push({ x: s.t, y: (s.rows - from.rows) / dt });
  }
  return out;
}
