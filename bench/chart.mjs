// A small hand-written SVG bar chart of the benchmark results: one group of horizontal bars per
// scenario (token007, agora-token, the node:crypto + node:zlib baseline) on a logarithmic
// ops/s axis, since the scenarios span three orders of magnitude.

const COLORS = { token007: '#2b7bb9', 'agora-token': '#d98b2b', 'node:crypto+zlib': '#8c8c8c' }
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Formats ops/s compactly: 1234 → "1.23k", 123456 → "123k". */
export function formatOps(value) {
  if (value >= 1e6) return `${(value / 1e6).toPrecision(3)}M`
  if (value >= 1e3) return `${(value / 1e3).toPrecision(3)}k`
  return value.toPrecision(3)
}

/**
 * The chart as an SVG document. `scenarios` are { label, results: { [library]: { median } },
 * ratio } objects; `caption` says where and how it was measured.
 */
export function renderChart(scenarios, libraries, caption) {
  const left = 250
  const width = 860
  const plot = width - left - 90
  const barH = 11
  const groupGap = 14
  const top = 46
  const groupH = libraries.length * (barH + 2) + groupGap
  const height = top + scenarios.length * groupH + 44
  const values = scenarios
    .flatMap((s) => libraries.map((l) => s.results[l]?.median ?? 0))
    .filter((v) => v > 0)
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)))
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)))
  const x = (v) => left + (plot * Math.log10(v / lo)) / Math.log10(hi / lo)

  const out = []
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="11">`,
  )
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`)
  out.push(
    `<text x="${left}" y="18" font-size="14" font-weight="600">Throughput, operations per second (log scale; higher is better)</text>`,
  )
  libraries.forEach((lib, i) => {
    const lx = left + i * 150
    out.push(`<rect x="${lx}" y="28" width="10" height="10" fill="${COLORS[lib]}"/>`)
    out.push(`<text x="${lx + 14}" y="37">${esc(lib)}</text>`)
  })
  for (let v = lo; v <= hi; v *= 10) {
    out.push(
      `<line x1="${x(v).toFixed(1)}" y1="${top - 4}" x2="${x(v).toFixed(1)}" y2="${height - 38}" stroke="#e3e3e3"/>`,
    )
    out.push(
      `<text x="${x(v).toFixed(1)}" y="${height - 26}" text-anchor="middle" fill="#555">${formatOps(v)}</text>`,
    )
  }
  scenarios.forEach((s, g) => {
    const y0 = top + g * groupH
    out.push(
      `<text x="${left - 8}" y="${y0 + (libraries.length * (barH + 2)) / 2 + 4}" text-anchor="end">${esc(s.label)}</text>`,
    )
    libraries.forEach((lib, i) => {
      const v = s.results[lib]?.median
      if (!v) return
      const y = y0 + i * (barH + 2)
      out.push(
        `<rect x="${left}" y="${y}" width="${(x(v) - left).toFixed(1)}" height="${barH}" fill="${COLORS[lib]}"/>`,
      )
      const note = lib === 'token007' && s.ratio ? ` (${s.ratio.toFixed(2)}× agora-token)` : ''
      out.push(
        `<text x="${(x(v) + 4).toFixed(1)}" y="${y + barH - 2}" fill="#333">${formatOps(v)}${esc(note)}</text>`,
      )
    })
  })
  out.push(`<text x="8" y="${height - 8}" fill="#555">${esc(caption)}</text>`)
  out.push('</svg>')
  return out.join('\n') + '\n'
}
