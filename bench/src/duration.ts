// Durations for someone watching a run: "42s", "4m 05s", "1h 03m". Whole seconds and two units
// at most: an estimate of twenty minutes has no meaningful tenths, and the bar's line is short.

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const two = (n: number): string => String(n).padStart(2, '0')
  if (hours > 0) return `${hours}h ${two(minutes)}m`
  if (minutes > 0) return `${minutes}m ${two(seconds)}s`
  return `${seconds}s`
}
