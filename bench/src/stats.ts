// Order statistics used by the harness (over runs) and by latency baselines (over calls). They
// live in the troupe package (src/bench/stats.ts), shared with `troupe bench`, so both judge
// figures the same way.
export { median, percentile } from 'troupe'
