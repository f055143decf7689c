import { describe, expect, it } from 'vitest'
import { samplesOf } from './prometheus-text.js'

const text = [
  '# HELP troupe_thread_actors Actors alive on the thread.',
  '# TYPE troupe_thread_actors gauge',
  'troupe_thread_actors{thread="0"} 0',
  'troupe_thread_actors{thread="1"} 50001',
  'troupe_thread_actors_extra{thread="1"} 7',
  'troupe_actors{thread="2",actor_type="IdleActor"} 50000',
  'troupe_actors{thread="2",actor_type="Odd \\"name\\""} 1 1700000000000',
  'troupe_offload_threads 4',
  '',
].join('\n')

describe('samplesOf', () => {
  it('reads the samples of one metric with their labels, skipping comments and longer names', () => {
    expect(samplesOf(text, 'troupe_thread_actors')).toEqual([
      { labels: { thread: '0' }, value: 0 },
      { labels: { thread: '1' }, value: 50001 },
    ])
  })
  it('unescapes label values, ignores a timestamp, and reads metrics without labels', () => {
    expect(samplesOf(text, 'troupe_actors')).toEqual([
      { labels: { thread: '2', actor_type: 'IdleActor' }, value: 50000 },
      { labels: { thread: '2', actor_type: 'Odd "name"' }, value: 1 },
    ])
    expect(samplesOf(text, 'troupe_offload_threads')).toEqual([{ labels: {}, value: 4 }])
    expect(samplesOf(text, 'troupe_missing')).toEqual([])
  })
})
