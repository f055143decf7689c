// Two small uPlot charts per thread: event-loop utilisation (%) and messages per second.
// uPlot is loaded by index.html as a classic script (the package's own IIFE build) and is the
// global `uPlot` here.
/* global uPlot */

/** Points each chart keeps: two minutes at the default one-second interval. */
const WINDOW = 120
const HEIGHT = 70

const formatRate = (value) => (value >= 1e6 ? `${(value / 1e6).toFixed(1)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : value.toFixed(0))

function chartOptions(width, { stroke, fill, range, format }) {
  return {
    width,
    height: HEIGHT,
    padding: [6, 4, 6, 0],
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true }, y: { range } },
    axes: [
      { show: false },
      { size: 38, gap: 2, font: '10px system-ui, sans-serif', stroke: '#667085', grid: { stroke: '#eef0f3', width: 1 }, ticks: { show: false }, values: (u, splits) => splits.map(format) },
    ],
    series: [{}, { stroke, fill, width: 1.5, points: { show: false }, spanGaps: false }],
  }
}

const UTILIZATION = { stroke: '#2f5bd3', fill: 'rgba(47, 91, 211, 0.12)', range: [0, 100], format: (v) => `${v}%` }
const THROUGHPUT = { stroke: '#1a7f4b', fill: 'rgba(26, 127, 75, 0.12)', range: (u, min, max) => [0, Math.max(10, max * 1.15)], format: formatRate }

/** The charts of one thread card; `null` values leave a gap (the thread did not answer). */
export class ThreadCharts {
  #times = []
  #utilization = []
  #throughput = []
  #charts

  constructor(utilizationEl, throughputEl) {
    // Without uPlot (it failed to load) the figures still show; only the charts are missing.
    if (typeof uPlot !== 'function') {
      this.#charts = []
      return
    }
    const width = Math.max(200, utilizationEl.clientWidth || 280)
    this.#charts = [
      new uPlot(chartOptions(width, UTILIZATION), [[], []], utilizationEl),
      new uPlot(chartOptions(width, THROUGHPUT), [[], []], throughputEl),
    ]
    // The cards reflow with the window: the charts follow their width.
    new ResizeObserver(() => {
      const next = Math.max(200, utilizationEl.clientWidth)
      for (const chart of this.#charts) if (chart.width !== next) chart.setSize({ width: next, height: HEIGHT })
    }).observe(utilizationEl)
  }

  /** Adds one point (`at` in ms since the epoch; `utilization` 0..1). */
  push(at, utilization, throughput) {
    this.#times.push(at / 1000)
    this.#utilization.push(utilization === null ? null : Math.round(utilization * 1000) / 10)
    this.#throughput.push(throughput)
    if (this.#times.length > WINDOW) {
      this.#times.shift()
      this.#utilization.shift()
      this.#throughput.shift()
    }
  }

  /** Redraws after one or more `push`es. */
  draw() {
    this.#charts[0]?.setData([this.#times, this.#utilization])
    this.#charts[1]?.setData([this.#times, this.#throughput])
  }
}
