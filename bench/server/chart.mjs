// A small hand-written SVG chart of the server load test: requests/s and p99 latency of each
// server as horizontal bars on linear axes.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const COLORS = ['#8c8c8c', '#2b7bb9']

function panel(out, top, title, rows, value, unit, width) {
  const left = 260
  const plot = width - left - 90
  const max = Math.max(...rows.map(value)) * 1.1
  out.push(`<text x="16" y="${top}" font-weight="600">${esc(title)}</text>`)
  rows.forEach((r, i) => {
    const y = top + 12 + i * 22
    const w = Math.max(1, (plot * value(r)) / max)
    out.push(`<text x="${left - 8}" y="${y + 12}" text-anchor="end">${esc(r.name)}</text>`)
    out.push(
      `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${COLORS[i % 2]}"/>`,
    )
    out.push(
      `<text x="${(left + w + 6).toFixed(1)}" y="${y + 12}">${esc(`${value(r)} ${unit}`)}</text>`,
    )
  })
  return top + 12 + rows.length * 22 + 26
}

/** The chart as an SVG document, from the summary bench.mjs writes to results.json. */
export function renderServerChart(summary) {
  const width = 820
  const out = []
  const height = 230
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`,
  )
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`)
  let y = 24
  y = panel(
    out,
    y,
    'Requests per second (higher is better; token007 authenticates every request, the baseline none)',
    summary.rows,
    (r) => Math.round(r.rps),
    'req/s',
    width,
  )
  y = panel(out, y, 'p99 latency (lower is better)', summary.rows, (r) => r.p99, 'ms', width)
  const caption = `${summary.rounds} rounds of ${summary.requestsPerRun.toLocaleString('en')} requests per server (means), ${summary.connections} connections, loopback; ${summary.machine}; ${summary.date.slice(0, 10)}`
  out.push(`<text x="16" y="${height - 12}" fill="#666" font-size="11">${esc(caption)}</text>`)
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
