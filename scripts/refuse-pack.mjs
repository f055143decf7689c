// `pnpm pack` / `npm pack` of a workspace package would give a tarball that depends on
// @troupe/core (never published) and exports the repository's source condition. The
// publishable tarball is made by `pnpm release:pack` at the repository root.
console.error('troupe: do not pack this workspace package directly; run `pnpm release:pack` at the repository root (writes ./packed/).')
process.exit(1)
