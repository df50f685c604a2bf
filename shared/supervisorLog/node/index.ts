/**
 * supervisorLog, Node part: where the log comes from (journald, log files, a command).
 */
export * from './sources';
export * from './journald';
export * from './journaldErrors';
export * from './types';
export * from './journaldStream';
export * from './fileTail';
export * from './recordSources';
export * from './recordFollow';
