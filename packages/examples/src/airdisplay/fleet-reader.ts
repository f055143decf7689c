import type { ActorSystem } from 'troupe'
import { Banner } from './banner.js'
import type { BannerView } from './types.js'

/** The current view of every banner in `ids`, in that order: one ask per banner, all at once. */
export function readFleet(system: ActorSystem, ids: readonly string[]): Promise<BannerView[]> {
  return Promise.all(ids.map((id) => system.entity(Banner, id).ask.view()))
}
