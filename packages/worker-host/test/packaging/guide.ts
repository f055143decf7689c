// Reads a guide written in Markdown into the steps its test replays. Every fenced block must say
// what it is in its info string, so that no block escapes the test:
//   ```ts file=src/x.ts       a file of the reader's project
//   ```sh cmd                 commands, one a line, run in the project
//   ```sh cmd interrupt-after=ready   ...and Ctrl-C once the output contains "ready"
//   ```text output            the exact output of the commands block before it
import { readFileSync } from 'node:fs'

export type Block =
  | { readonly kind: 'file'; readonly path: string; readonly body: string }
  | { readonly kind: 'cmd'; readonly lines: readonly string[]; readonly interruptAfter: string | undefined; readonly output: string | undefined }

export interface Section {
  readonly title: string
  readonly blocks: readonly Block[]
}

export function readGuide(path: string): Section[] {
  const sections: Section[] = []
  let current: { title: string; blocks: Block[] } | undefined
  const lines = readFileSync(path, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.startsWith('## ')) {
      current = { title: line.slice(3).trim(), blocks: [] }
      sections.push(current)
      continue
    }
    const fence = /^```(\S*)\s*(.*)$/.exec(line)
    if (!fence) continue
    const end = lines.indexOf('```', i + 1)
    if (end < 0) throw new Error(`${path}:${i + 1}: unclosed code block`)
    const body = lines.slice(i + 1, end).join('\n')
    const attributes = parseAttributes(fence[2]!)
    const where = `${path}:${i + 1}`
    i = end
    if (!current) throw new Error(`${where}: a code block before the first section`)
    if (attributes.has('file')) {
      current.blocks.push({ kind: 'file', path: attributes.get('file')!, body: `${body}\n` })
    } else if (attributes.has('cmd')) {
      current.blocks.push({ kind: 'cmd', lines: body.split('\n').filter((l) => l.trim() !== ''), interruptAfter: attributes.get('interrupt-after'), output: undefined })
    } else if (attributes.has('output')) {
      const previous = current.blocks.at(-1)
      if (previous?.kind !== 'cmd' || previous.output !== undefined) throw new Error(`${where}: an output block must follow a cmd block`)
      current.blocks[current.blocks.length - 1] = { ...previous, output: body }
    } else {
      throw new Error(`${where}: a code block without file=, cmd or output: the guide's test would not check it`)
    }
  }
  return sections
}

function parseAttributes(info: string): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const word of info.split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=')
    attributes.set(eq < 0 ? word : word.slice(0, eq), eq < 0 ? '' : word.slice(eq + 1))
  }
  return attributes
}
