// The launcher of packages/worker-host/test/helpers/browser.ts, copied: test helpers are not
// shared across packages. Never `playwright install`: the browser comes from the system or from
// the `@sparticuz/chromium` dev dependency.
import { access, constants } from 'node:fs/promises'
import { chromium, type Browser } from 'playwright-core'

/** Where distributions install Chromium; the first one present is used. */
const SYSTEM_CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

/**
 * `@sparticuz/chromium`'s flags that would make the browser less like a user's: the page's
 * content security policy must be in force when it is tested.
 */
const UNSAFE_FLAGS = new Set(['--disable-web-security', '--allow-running-insecure-content'])

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Launches a headless Chromium: the system's when one is installed, else the one the
 * `@sparticuz/chromium` dev dependency ships (unpacked to the temp folder on first use), so the
 * browser tests run on a fresh clone with no browser download.
 */
export async function launchChromium(): Promise<Browser> {
  for (const path of SYSTEM_CHROMIUM) {
    if (await executable(path)) return chromium.launch({ executablePath: path, args: ['--no-sandbox'] })
  }
  const { default: packaged } = await import('@sparticuz/chromium')
  const executablePath = await packaged.executablePath()
  return chromium.launch({ executablePath, args: packaged.args.filter((flag) => !UNSAFE_FLAGS.has(flag)) })
}
