/**
 * util, Node part: the bounded glob walk, bounded child processes, file errors as values, user names through NSS.
 */
export * from './globWalk';
export * from './boundedRun';
export * from './fileErrors';
export * from './users';
