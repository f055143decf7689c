// Renders rows of cells as an aligned plain-text table (terminal) or a markdown table (results file).

export type Alignment = 'left' | 'right'

export interface Table {
  readonly headers: readonly string[]
  readonly align: readonly Alignment[]
  readonly rows: readonly (readonly string[])[]
}

function pad(cell: string, width: number, alignment: Alignment): string {
  return alignment === 'right' ? cell.padStart(width) : cell.padEnd(width)
}

export function renderText(table: Table): string {
  const widths = table.headers.map((header, column) =>
    Math.max(header.length, ...table.rows.map((row) => (row[column] ?? '').length)),
  )
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => pad(cell, widths[column] ?? 0, table.align[column] ?? 'left'))
      .join('  ')
      .trimEnd()
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  return [line(table.headers), rule, ...table.rows.map(line)].join('\n')
}

export function renderMarkdown(table: Table): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|')
  const line = (cells: readonly string[]): string => `| ${cells.map(escape).join(' | ')} |`
  const rule = `|${table.align.map((a) => (a === 'right' ? ' ---: ' : ' --- ')).join('|')}|`
  return [line(table.headers), rule, ...table.rows.map(line)].join('\n')
}
