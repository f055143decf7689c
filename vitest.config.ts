import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: { conditions: ['troupe-source'] },
  ssr: { resolve: { conditions: ['troupe-source'], externalConditions: ['troupe-source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'bench/src/**/*.test.ts'],
    // Type tests are checked by the typecheck pass below, not executed.
    exclude: ['**/node_modules/**', '**/*.types.test.ts'],
    // Each test file starts real worker threads; two files at a time keeps a 2-core machine honest.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // expect.poll waits for a condition, never for a duration: its default second is a timing
    // assumption that a loaded 2-core machine (CI runs two files at once) breaks. A condition that
    // holds comes as soon as it holds; only a failing test waits the whole time.
    expect: { poll: { timeout: 10_000 } },
    typecheck: { enabled: true, include: ['packages/*/test/**/*.types.test.ts'], tsconfig: './tsconfig.json' },
  },
})
