// The one web page: HTML and CSS as a string, so the example needs no build step nor asset copy
// (tsc emits this module as it is). The script is served apart, at `/app.js` (see page-script.ts),
// so the content security policy can forbid inline scripts. Every user text reaches the page
// through `textContent`, never as HTML.

/** The policy the page is served with: its own script and feed only. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const STYLE = `
  :root { --ink: #0b2545; --muted: #4a6a8a; --card: rgba(255,255,255,.82); }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
    background: linear-gradient(180deg, #5fb4ea 0%, #a9dcf7 45%, #e8f6ff 100%) fixed; }
  header { display: flex; align-items: center; gap: 16px; padding: 22px 32px 8px; flex-wrap: wrap; }
  h1 { margin: 0; font-size: 28px; letter-spacing: .5px; color: #fff; text-shadow: 0 2px 6px rgba(11,37,69,.35); }
  h1 .logo { display: inline-block; transform: rotate(-8deg); }
  .tagline { margin: 0; color: #fff; opacity: .92; flex: 1; min-width: 240px; text-shadow: 0 1px 3px rgba(11,37,69,.3); }
  .status { font-size: 13px; padding: 4px 12px; border-radius: 999px; background: #fff3; color: #fff; border: 1px solid #fff8; }
  .status.live { background: #2bb673; border-color: #2bb673; }
  .status.down { background: #d64545; border-color: #d64545; }
  main { padding: 12px 32px 32px; display: grid; gap: 24px; grid-template-columns: minmax(0, 1fr) 300px; align-items: start; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
  .fleet { display: grid; gap: 16px; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); }
  .banner { background: var(--card); border-radius: 14px; padding: 14px 16px 12px; box-shadow: 0 6px 18px rgba(11,37,69,.12);
    backdrop-filter: blur(4px); cursor: pointer; transition: transform .15s; }
  .banner:hover { transform: translateY(-2px); }
  .tow { display: flex; align-items: center; min-height: 58px; }
  .cloth { flex: 1; min-width: 0; padding: 10px 22px 10px 14px; font-weight: 700; font-size: 17px; color: #1d1d1d;
    background: var(--cloth); clip-path: polygon(0 0, 100% 0, 96% 50%, 100% 100%, 0 100%, 2% 50%);
    box-shadow: inset 0 -3px 0 rgba(0,0,0,.08); overflow-wrap: anywhere; }
  .rope { width: 34px; border-top: 2px dashed #6b7c93; }
  .plane { display: flex; flex-direction: column; align-items: center; font-size: 30px; line-height: 1; color: var(--ink); }
  .plane .id { font-size: 12px; font-weight: 600; color: var(--muted); margin-top: 4px; letter-spacing: .5px; }
  .banner[data-state="empty"] .cloth { background: transparent; border: 2px dashed #9fb3c8; clip-path: none; border-radius: 6px;
    color: #7890a8; font-weight: 500; font-style: italic; }
  .banner[data-state="empty"] .plane .icon { opacity: .45; }
  .meta { display: flex; justify-content: space-between; margin-top: 10px; font-size: 13px; color: var(--muted); }
  .bar { height: 4px; margin-top: 6px; border-radius: 2px; background: #dbe7f2; overflow: hidden; }
  .bar .fill { height: 100%; width: 0; background: linear-gradient(90deg, #ff9f1c, #ef476f); }
  .post { background: var(--card); border-radius: 14px; padding: 18px; box-shadow: 0 6px 18px rgba(11,37,69,.12); display: grid; gap: 12px; position: sticky; top: 16px; }
  .post h2 { margin: 0; font-size: 17px; }
  .post label { display: grid; gap: 4px; font-size: 13px; color: var(--muted); }
  .post input, .post select { font: inherit; padding: 8px 10px; border-radius: 8px; border: 1px solid #b9cbe0; background: #fff; color: var(--ink); }
  .post button { font: inherit; font-weight: 600; padding: 9px; border: 0; border-radius: 8px; background: var(--ink); color: #fff; cursor: pointer; }
  .post button:disabled { opacity: .6; cursor: wait; }
  .result { margin: 0; font-size: 13px; min-height: 1.4em; }
  .result.ok { color: #1d7a4c; } .result.refused { color: #b5452a; }
  footer { padding: 0 32px 24px; font-size: 12px; color: var(--muted); }
`

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** The page, for a fleet of `fleetSize` banners whose messages show for `showMs`. */
export function pageHtml(fleetSize: number, showMs: number): string {
  const shows = showMs % 60_000 === 0 ? `${showMs / 60_000} min` : showMs % 1000 === 0 ? `${showMs / 1000} s` : `${showMs} ms`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AirDisplay</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1><span class="logo">✈</span> AirDisplay</h1>
  <p class="tagline">${fleetSize} planes tow banners over the bay. Post a message: it flies for ${escapeHtml(shows)}, and nobody can replace it meanwhile.</p>
  <span id="status" class="status">connecting…</span>
</header>
<main>
  <section id="fleet" class="fleet" aria-live="polite"></section>
  <form id="post" class="post" autocomplete="off">
    <h2>Post a message</h2>
    <label>Banner <select id="banner" name="banner"></select></label>
    <label>Message <input id="text" name="text" maxlength="280" required placeholder="Will you marry me?"></label>
    <label>Your name <input id="by" name="by" maxlength="40" required placeholder="Sam"></label>
    <button type="submit">Post</button>
    <p id="result" class="result" role="status"></p>
  </form>
</main>
<footer>AirDisplay · a troupe example: banners are entities with durable state, expiry is a reminder, changes arrive over pub/sub and a websocket.</footer>
<script src="/app.js"></script>
</body>
</html>
`
}
