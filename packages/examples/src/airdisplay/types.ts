// What travels between the banner entities, the HTTP API, the live feed and the page: plain data
// only (msgpack between threads, JSON to the outside), so the same shapes serve every hop.

/** A message towed behind a plane: shown from `postedAt` until `expiresAt` (ms since the epoch). */
export interface BannerMessage {
  readonly text: string
  readonly by: string
  readonly postedAt: number
  readonly expiresAt: number
}

/**
 * A banner as the API and the page see it. `version` goes up by one at every change (posted,
 * cleared) and is stored with the state, so a reader that hears of one banner from two sources
 * (the snapshot and the live updates) keeps the newer.
 */
export interface BannerView {
  readonly id: string
  readonly version: number
  readonly message: BannerMessage | null
}

/** A change of one banner, published on the `BANNER_UPDATES` topic by the banner itself. */
export interface BannerUpdate extends BannerView {
  readonly change: 'posted' | 'cleared'
}

/** The answer to a post: shown, or refused because another message is showing (never overwritten). */
export type PostResult = { readonly accepted: true; readonly message: BannerMessage } | { readonly accepted: false; readonly showing: BannerMessage }

/** The topic every banner publishes its changes to, and the live feed listens to. */
export const BANNER_UPDATES = 'airdisplay.banner-updates'

/** What the websocket sends a page: one snapshot of the fleet on connect, then every update. */
export type FeedMessage = { readonly type: 'snapshot'; readonly banners: readonly BannerView[] } | { readonly type: 'update'; readonly banner: BannerUpdate }
