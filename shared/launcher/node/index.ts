/**
 * launcher, Node part: the `handoff-journal` command that Install Command in PATH writes (its script and folder), and writing, checking and removing it safely.
 */
export * from './launcher';
export * from './install';
