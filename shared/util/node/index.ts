/**
 * util, Node part: the bounded glob walk, bounded child processes, file errors as values.
 */
export * from './globWalk';
export * from './boundedRun';
export * from './fileErrors';
