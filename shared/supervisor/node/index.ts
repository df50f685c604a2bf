/**
 * supervisor, Node part: configs, status, sockets from /proc, the trigger client, the journal rule from configs (user and root).
 */
export * from './config';
export * from './status';
export * from './sockets';
export * from './trigger';
export * from './journalRule';
