// An actor module (loaded by every worker), so not the program's entry module.
import { Entity, type EntityLifecycle } from 'troupe'
import { BANNER_UPDATES, type BannerMessage, type BannerUpdate, type BannerView, type PostResult } from './types.js'
import { BY_MAX, checkField, TEXT_MAX } from './validate.js'

export interface BannerState {
  message: BannerMessage | null
  /** Bumped at every change; see `BannerView.version`. */
  version: number
}

/** The reminder that takes a message down. One per banner: a new post replaces it. */
const EXPIRE = 'expire'

/** Bounds of `showMs`: a message shorter than a round trip would be down before its 201 arrives; at most a day. */
export const SHOW_MS_MIN = 50
export const SHOW_MS_MAX = 86_400_000

/**
 * One banner towed by a plane: a virtual actor keyed by its id (`b-17`), with durable state.
 *
 * "Never overwrite a showing message" needs no lock and no compare-and-set: an entity takes one
 * message at a time, so of two posts that arrive together the second runs after the first has
 * ended, and by then the first's state is committed. The second sees the first's message and is
 * refused. The check and the write are one message: no other message runs between them.
 */
export class Banner extends Entity<Banner, BannerState> implements EntityLifecycle {
  // The name in the store: fixed, so renaming the class does not orphan stored banners.
  static readonly entityName = 'airdisplay.banner'
  state: BannerState = { message: null, version: 0 }

  view(): BannerView {
    return this.#view()
  }

  /**
   * Shows `text` for `showMs`, unless a message is showing: then the answer names it and nothing
   * changes. A message past its `expiresAt` whose reminder has not run yet (it is late, or the
   * process was down) no longer counts as showing.
   */
  async post(text: string, by: string, showMs: number): Promise<PostResult> {
    const input = checkArguments(text, by, showMs)
    const now = Date.now()
    const showing = this.state.message
    if (showing !== null && showing.expiresAt > now) return { accepted: false, showing }
    const message: BannerMessage = { ...input, postedAt: now, expiresAt: now + showMs }
    // The reminder is stored before the state is (the state commits when this handler ends), so
    // a committed message always has its expiry stored: a crash in between leaves at worst a
    // reminder that finds nothing to clear. The same name replaces a late one of the last message.
    await this.ctx.remind(EXPIRE, { atMs: message.expiresAt })
    this.state = { message, version: this.state.version + 1 }
    this.#publish('posted')
    return { accepted: true, message }
  }

  /** Takes the message down when it is due. At least once: a repeat finds nothing to do. */
  async onReminder(name: string): Promise<void> {
    if (name !== EXPIRE) return
    const showing = this.state.message
    if (showing === null) return
    if (showing.expiresAt > Date.now()) {
      // Early (a timer may run a millisecond ahead of the wall clock): the one-shot reminder is
      // removed when this returns, so arm it again or the message would never come down.
      await this.ctx.remind(EXPIRE, { atMs: showing.expiresAt })
      return
    }
    this.state = { message: null, version: this.state.version + 1 }
    this.#publish('cleared')
  }

  // An entity's publish leaves once the handler's state is committed, and not at all if the
  // message fails: a page never hears of a change that is not stored.
  #publish(change: BannerUpdate['change']): void {
    this.ctx.topic<BannerUpdate>(BANNER_UPDATES).publish({ ...this.#view(), change })
  }

  #view(): BannerView {
    return { id: this.key, version: this.state.version, message: this.state.message }
  }
}

/** Any actor may message a banner, not only the API: its arguments are checked here too (and trimmed). */
function checkArguments(text: unknown, by: unknown, showMs: unknown): { text: string; by: string } {
  const checkedText = checkField('text', text, TEXT_MAX)
  if (!checkedText.ok) throw new RangeError(`Banner.post: ${checkedText.error}`)
  const checkedBy = checkField('by', by, BY_MAX)
  if (!checkedBy.ok) throw new RangeError(`Banner.post: ${checkedBy.error}`)
  if (!(typeof showMs === 'number' && Number.isInteger(showMs) && showMs >= SHOW_MS_MIN && showMs <= SHOW_MS_MAX)) {
    throw new RangeError(`Banner.post: showMs must be an integer of ms from ${SHOW_MS_MIN} to ${SHOW_MS_MAX}, got ${String(showMs)}`)
  }
  return { text: checkedText.value, by: checkedBy.value }
}
