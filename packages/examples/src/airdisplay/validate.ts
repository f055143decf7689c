// The rules for a message, in one place: the HTTP API checks a request body with them (and
// answers 400 naming the field), and the banner entity checks its arguments again, since any
// actor of the system may message it, not only the API.

/** Longest text a banner tows, in characters (code points, so an emoji counts as one). */
export const TEXT_MAX = 280
/** Longest signature. */
export const BY_MAX = 40

/** A valid post: both fields trimmed. */
export interface PostInput {
  readonly text: string
  readonly by: string
}

export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

// A banner is one line of text: no line breaks, tabs or other control characters.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

/** Checks one text field: a string of 1..max characters once trimmed, on one line. */
export function checkField(field: string, value: unknown, max: number): Checked<string> {
  if (typeof value !== 'string') return { ok: false, error: `"${field}" must be a string of 1 to ${max} characters` }
  const trimmed = value.trim()
  const length = [...trimmed].length
  if (length === 0) return { ok: false, error: `"${field}" must not be empty` }
  if (length > max) return { ok: false, error: `"${field}" is ${length} characters long; at most ${max} are allowed` }
  if (CONTROL.test(trimmed)) return { ok: false, error: `"${field}" must be one line, without control characters` }
  return { ok: true, value: trimmed }
}

/** Checks a parsed JSON body: exactly `{ text, by }`, each within its limits. */
export function checkPostBody(body: unknown): Checked<PostInput> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'the body must be a JSON object { "text": string, "by": string }' }
  const unknown = Object.keys(body).filter((key) => key !== 'text' && key !== 'by')
  if (unknown.length > 0) return { ok: false, error: `unknown field(s) ${unknown.map((key) => JSON.stringify(key)).join(', ')}; a post has only "text" and "by"` }
  const { text, by } = body as Record<string, unknown>
  const checkedText = checkField('text', text, TEXT_MAX)
  if (!checkedText.ok) return checkedText
  const checkedBy = checkField('by', by, BY_MAX)
  if (!checkedBy.ok) return checkedBy
  return { ok: true, value: { text: checkedText.value, by: checkedBy.value } }
}
