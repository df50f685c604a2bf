/**
 * launcher, Node part: the `handoff-journal` command that Install Command in PATH writes.
 */
export * from './launcher';
