// comlink 4.4.2 ships its Node adapter without type declarations.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink'
  import type { MessagePort, Worker } from 'node:worker_threads'
  export default function nodeEndpoint(nep: MessagePort | Worker): Endpoint
}
