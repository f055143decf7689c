// Reading figures back out of Prometheus' text format, so metrics.scrape.ms can check what a
// scrape covered. Just enough of the format for troupe's gauges: one sample per line, no escapes
// beyond \" and \\ in label values.

export interface PrometheusSample {
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

const labelPair = /(\w+)="((?:[^"\\]|\\.)*)"/g

/** The samples of `metric` in `text` (its own lines only: not `metric_total` nor comments). */
export function samplesOf(text: string, metric: string): PrometheusSample[] {
  const samples: PrometheusSample[] = []
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric)) continue
    const rest = line.slice(metric.length)
    let labels: Record<string, string> = {}
    let value: string
    if (rest.startsWith('{')) {
      const close = rest.lastIndexOf('}')
      if (close < 0) continue
      labels = Object.fromEntries([...rest.slice(1, close).matchAll(labelPair)].map(([, key, raw]) => [key as string, (raw as string).replace(/\\(.)/g, '$1')]))
      value = rest.slice(close + 1)
    } else if (rest.startsWith(' ')) value = rest
    else continue // another metric whose name starts with this one
    samples.push({ labels, value: Number(value.trim().split(' ')[0]) })
  }
  return samples
}
