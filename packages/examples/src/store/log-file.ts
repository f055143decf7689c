import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { readEntries, type ReadLog } from './log-reader.js'

/** The file a compaction writes before renaming it over the log. */
export const compactionPath = (path: string): string => `${path}.compacting`

/**
 * The log's file on disk: recovery at open, durable appends, atomic replacement. No state and
 * no batching here, only I/O in the order the caller asks for it; one call at a time.
 */
export class LogFile {
  #handle: FileHandle
  #bytes: number

  private constructor(
    readonly path: string,
    handle: FileHandle,
    bytes: number,
  ) {
    this.#handle = handle
    this.#bytes = bytes
  }

  /**
   * Opens (or creates) the log and reads it back. A torn final entry is cut off here, before
   * anything is appended after it; otherwise it would end up in the middle of the file.
   */
  static async open(path: string): Promise<{ readonly file: LogFile; readonly read: ReadLog }> {
    // A compaction that crashed before its rename left the old log whole: drop its leftovers.
    await rm(compactionPath(path), { force: true })
    const bytes = await readFile(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    })
    const read = readEntries(bytes ?? new Uint8Array())
    const handle = await open(path, 'a')
    try {
      if (read.tornBytes > 0) {
        await handle.truncate(read.validBytes)
        await handle.sync()
      }
      // A new file's directory entry must be durable too, or a crash could lose the whole file.
      if (bytes === undefined) await syncDirectory(path)
    } catch (error) {
      await handle.close()
      throw error
    }
    return { file: new LogFile(path, handle, read.validBytes), read }
  }

  /** Size of the log in bytes. */
  get bytes(): number {
    return this.#bytes
  }

  /** Appends `bytes` and resolves once they are on disk (fdatasync). */
  async append(bytes: Uint8Array): Promise<void> {
    await writeAll(this.#handle, bytes)
    await this.#handle.datasync()
    this.#bytes += bytes.length
  }

  /**
   * Replaces the whole log with `bytes`, atomically: write a temporary file, sync it, rename it
   * over the log, sync the directory. A crash at any point leaves either the old log or the new
   * one, never a mix.
   */
  async replace(bytes: Uint8Array): Promise<void> {
    const temporary = compactionPath(this.path)
    const next = await open(temporary, 'w')
    try {
      await writeAll(next, bytes)
      await next.sync()
    } finally {
      await next.close()
    }
    await rename(temporary, this.path)
    await syncDirectory(this.path)
    // The old handle still points at the replaced file: appends must go to the new one.
    const handle = await open(this.path, 'a')
    await this.#handle.close()
    this.#handle = handle
    this.#bytes = bytes.length
  }

  async close(): Promise<void> {
    await this.#handle.close()
  }
}

/** `write` may write less than asked (a full disk, a signal): loop until all of it is written. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset)
    offset += bytesWritten
  }
}

/** Makes a created or renamed directory entry durable. Directories cannot be opened on Windows. */
async function syncDirectory(path: string): Promise<void> {
  if (process.platform === 'win32') return
  const directory = await open(dirname(path), 'r')
  try {
    await directory.sync()
  } finally {
    await directory.close()
  }
}
