/**
 * util, Node part: the bounded glob walk, bounded child processes, file errors as values, bounded /proc reads,
 * user names through NSS.
 */
export * from './globWalk';
export * from './boundedRun';
export * from './fileErrors';
export * from './procText';
export * from './users';
