import { readLogFile } from '../store/index.js'
import { readSale } from './sale-records.js'

/** What the writer's file says, read straight from disk, independently of every actor. */
export type FileAudit = {
  readonly initialStock: number | undefined
  /** Purchase records: units sold according to the file. */
  readonly purchases: number
  readonly purchaseIds: ReadonlySet<string>
  /** The stock written with the last sale. */
  readonly stock: number | undefined
  readonly bytes: number
  readonly lines: number
  readonly tornBytes: number
}

export async function auditLogFile(path: string): Promise<FileAudit> {
  const content = await readLogFile(path)
  const sale = readSale(content.entries)
  return {
    initialStock: sale.product?.initialStock,
    purchases: sale.purchases.size,
    purchaseIds: new Set(sale.purchases.keys()),
    stock: sale.stock,
    bytes: content.bytes,
    lines: content.lines,
    tornBytes: content.tornBytes,
  }
}
