export { where } from './probe.js'
