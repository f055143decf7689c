// comlink 4.4.2 ships no exports map and no .d.mts files, so under NodeNext its ESM entry points
// (which we import because its "main" is a UMD bundle) have no types. These point them at the shipped ones.

declare module 'comlink/dist/esm/comlink.mjs' {
  export * from 'comlink'
}

declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink'

  /** The subset of a worker_threads Worker / MessagePort that the adapter uses. */
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly unknown[]): void
    on(type: 'message', listener: (value: unknown) => void): void
    off(type: 'message', listener: (value: unknown) => void): void
    start?: () => void
  }

  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint
}
