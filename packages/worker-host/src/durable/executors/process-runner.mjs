// The program of a child process running durable jobs (`executeIn: 'process'`), in plain JS so
// that it starts without a TypeScript loader. It loads the one task it was forked for (argv:
// module URL, export name, 'tsx' when the module is TypeScript): no module name ever arrives in a
// message. Jobs arrive one at a time over IPC as [id, msgpack bytes of the event]; the answer is
// [id, 0, msgpack bytes of the result] or [id, 1, { name, message, code, stack }].
import { Packr, Unpackr } from 'msgpackr'

const [moduleHref, exportName, loader] = process.argv.slice(2)
if (loader === 'tsx') {
  let tsx
  try {
    tsx = await import('tsx/esm/api')
  } catch (error) {
    throw new Error('troupe: TypeScript task modules (.ts) need tsx in this project: npm install --save-dev tsx (or ship compiled .js)', { cause: error })
  }
  tsx.register()
}
const task = (await import(moduleHref))[exportName]
if (typeof task !== 'function') throw new Error(`troupe: ${moduleHref} exports no function ${exportName}`)

const packr = new Packr({ useRecords: false, moreTypes: false })
const unpackr = new Unpackr({ useRecords: false, moreTypes: false })

process.on('message', async ([id, bytes]) => {
  try {
    const value = await task(unpackr.unpack(bytes))
    process.send([id, 0, packr.pack(value === undefined ? null : value)])
  } catch (error) {
    const code = typeof error?.code === 'string' ? error.code : undefined
    process.send([id, 1, { name: String(error?.name ?? 'Error'), message: String(error?.message ?? error), code, stack: error?.stack }])
  }
})
// The parent is gone (or closed the channel): nothing more can come, and no answer can leave.
process.on('disconnect', () => process.exit(0))
// The parent waits for this before the first job: the module has loaded.
process.send(['ready'])
