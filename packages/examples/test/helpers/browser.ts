// The one browser launcher of the repository's tests (a system Chromium, else the one the
// `@sparticuz/chromium` dev dependency ships; never `playwright install`), shared with the
// dashboard's tests rather than copied.
export { launchChromium } from '../../../worker-host/test/helpers/browser.js'
