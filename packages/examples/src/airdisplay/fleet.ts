// The fleet: the banners this display knows, `b-1`..`b-N`, fixed when the server starts. Entities
// exist for any key, so the fleet is what makes the list finite and a typo a 404, not a new banner.

/** The shape of a banner id: `b-` and a number from 1 to 9999 without leading zeros. */
export const BANNER_ID = /^b-[1-9][0-9]{0,3}$/

/** The largest fleet: every id must match `BANNER_ID`. */
export const MAX_FLEET = 9999

/** `b-1`..`b-<size>`. */
export function fleetIds(size: number): string[] {
  return Array.from({ length: size }, (_, i) => `b-${i + 1}`)
}
