// A hand-written SVG bar chart of Materia/Redis ratios: one group of bars per
// workload, one bar per pair, a line at 1.0 (as fast as Redis) and a red mark
// at each target. No dependency: the file is plain text a browser shows.

export interface ChartBar {
  readonly series: string;
  readonly value: number;
  readonly target?: number;
}

export interface ChartGroup {
  readonly label: string;
  readonly bars: readonly ChartBar[];
}

const COLORS = ["#3b6fb6", "#e08a2e", "#5a9e4b", "#8e5bb0"];
const BAR = 18;
const GROUP_GAP = 16;
const LEFT = 56;
const TOP = 64;
const PLOT_HEIGHT = 300;
const LABEL_SPACE = 130;

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function ratioChart(title: string, subtitle: string, groups: readonly ChartGroup[], series: readonly string[]): string {
  const groupWidth = series.length * BAR + GROUP_GAP;
  const plotWidth = Math.max(groups.length * groupWidth, 320);
  const width = LEFT + plotWidth + 24;
  const height = TOP + PLOT_HEIGHT + LABEL_SPACE;
  const values = groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.target ?? 0])).filter(Number.isFinite);
  const top = Math.max(1.2, Math.ceil((Math.max(0, ...values) + 0.05) * 5) / 5);
  const y = (v: number): number => TOP + PLOT_HEIGHT - (Math.min(v, top) / top) * PLOT_HEIGHT;
  const step = top > 3 ? 0.5 : 0.2;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${LEFT}" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>`);
  out.push(`<text x="${LEFT}" y="38" fill="#555">${escapeXml(subtitle)}</text>`);
  // Grid and axis.
  for (let v = 0; v <= top + 1e-9; v += step) {
    const gy = y(v).toFixed(1);
    out.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${gy}" y2="${gy}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${LEFT - 6}" y="${gy}" text-anchor="end" dominant-baseline="middle" fill="#555">${v.toFixed(1)}</text>`);
  }
  out.push(`<text transform="translate(14 ${TOP + PLOT_HEIGHT / 2}) rotate(-90)" text-anchor="middle" fill="#333">Materia / Redis (ops/s)</text>`);
  // Bars.
  groups.forEach((group, g) => {
    const x0 = LEFT + g * groupWidth + GROUP_GAP / 2;
    for (const bar of group.bars) {
      const s = series.indexOf(bar.series);
      const x = x0 + s * BAR;
      const color = COLORS[s % COLORS.length]!;
      if (Number.isFinite(bar.value)) {
        const by = y(bar.value);
        out.push(`<rect x="${x + 1}" y="${by.toFixed(1)}" width="${BAR - 2}" height="${(TOP + PLOT_HEIGHT - by).toFixed(1)}" fill="${color}"><title>${escapeXml(`${bar.series} ${group.label}: ${bar.value.toFixed(2)}`)}</title></rect>`);
        out.push(`<text x="${x + BAR / 2}" y="${(by - 3).toFixed(1)}" text-anchor="middle" font-size="8" fill="#333">${bar.value.toFixed(2)}</text>`);
      }
      if (bar.target !== undefined) {
        const ty = y(bar.target).toFixed(1);
        out.push(`<line x1="${x - 2}" x2="${x + BAR + 2}" y1="${ty}" y2="${ty}" stroke="#d62728" stroke-width="2.5"><title>target ${bar.target.toFixed(2)}</title></line>`);
      }
    }
    const lx = x0 + (series.length * BAR) / 2;
    const ly = TOP + PLOT_HEIGHT + 10;
    out.push(`<text transform="translate(${lx.toFixed(1)} ${ly}) rotate(-40)" text-anchor="end" fill="#222">${escapeXml(group.label)}</text>`);
  });
  // Parity line, drawn over the bars.
  const one = y(1).toFixed(1);
  out.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${one}" y2="${one}" stroke="#111" stroke-dasharray="5 3"/>`);
  out.push(`<line x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${TOP + PLOT_HEIGHT}" stroke="#333"/>`);
  out.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${TOP + PLOT_HEIGHT}" y2="${TOP + PLOT_HEIGHT}" stroke="#333"/>`);
  // Legend.
  let lx = LEFT;
  const ly = 52;
  series.forEach((name, s) => {
    out.push(`<rect x="${lx}" y="${ly - 8}" width="10" height="10" fill="${COLORS[s % COLORS.length]}"/>`);
    out.push(`<text x="${lx + 14}" y="${ly}">${escapeXml(name)}</text>`);
    lx += 20 + name.length * 6.5;
  });
  out.push(`<line x1="${lx}" x2="${lx + 14}" y1="${ly - 3}" y2="${ly - 3}" stroke="#d62728" stroke-width="2.5"/>`);
  out.push(`<text x="${lx + 18}" y="${ly}">target</text>`);
  lx += 64;
  out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 3}" y2="${ly - 3}" stroke="#111" stroke-dasharray="5 3"/>`);
  out.push(`<text x="${lx + 22}" y="${ly}">1.0 = as fast as Redis</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
