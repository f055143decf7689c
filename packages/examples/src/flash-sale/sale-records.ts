import type { Entry, JsonValue, LogRecord } from '../store/index.js'
import { put } from '../store/index.js'

// How a sale is kept in the writer's log. Purchases are the truth (one key per purchase id);
// `stock` is written with each of them so that the file can be checked against itself.
//
//   product          { "sku": "...", "initialStock": 1000 }   written once, when the sale opens
//   purchase/<id>    { "buyer": "buyer-3" }                    one per unit sold
//   stock            997                                       units left after that purchase

const PRODUCT_KEY = 'product'
const STOCK_KEY = 'stock'
const PURCHASE_PREFIX = 'purchase/'

export type Product = { readonly sku: string; readonly initialStock: number }

/** What a log says about a sale. */
export type SaleInLog = {
  readonly product: Product | undefined
  /** Purchase id → buyer, for every unit sold. */
  readonly purchases: Map<string, string>
  readonly stock: number | undefined
}

export function openingRecords(product: Product): LogRecord[] {
  return [put(PRODUCT_KEY, product), put(STOCK_KEY, product.initialStock)]
}

/** One append per sale: the purchase and the stock after it, together or not at all. */
export function saleRecords(purchaseId: string, buyer: string, stockAfter: number): LogRecord[] {
  return [put(`${PURCHASE_PREFIX}${purchaseId}`, { buyer }), put(STOCK_KEY, stockAfter)]
}

export function readSale(entries: readonly Entry[]): SaleInLog {
  let product: Product | undefined
  let stock: number | undefined
  const purchases = new Map<string, string>()
  for (const [key, value] of entries) {
    if (key === PRODUCT_KEY) product = asProduct(value)
    else if (key === STOCK_KEY) stock = asCount(value, key)
    else if (key.startsWith(PURCHASE_PREFIX)) purchases.set(key.slice(PURCHASE_PREFIX.length), asBuyer(value, key))
  }
  return { product, purchases, stock }
}

// The log holds JSON written by this module; these checks catch a file from something else.

function asProduct(value: JsonValue): Product {
  const { sku, initialStock } = asObject(value, PRODUCT_KEY)
  if (typeof sku !== 'string' || initialStock === undefined) throw new Error(`log: ${PRODUCT_KEY} is not a product: ${JSON.stringify(value)}`)
  return { sku, initialStock: asCount(initialStock, `${PRODUCT_KEY}.initialStock`) }
}

function asBuyer(value: JsonValue, key: string): string {
  const { buyer } = asObject(value, key)
  if (typeof buyer !== 'string') throw new Error(`log: ${key} has no buyer: ${JSON.stringify(value)}`)
  return buyer
}

function asCount(value: JsonValue, key: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Error(`log: ${key} is not a count: ${JSON.stringify(value)}`)
  return value
}

function asObject(value: JsonValue, key: string): { readonly [key: string]: JsonValue } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`log: ${key} is not an object: ${JSON.stringify(value)}`)
  return value as { readonly [key: string]: JsonValue }
}
