/**
 * supervisor, Node part: configs, status, sockets from /proc, the trigger client.
 */
export * from './config';
export * from './status';
export * from './sockets';
export * from './trigger';
