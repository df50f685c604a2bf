/**
 * util: text sanitising and shell quoting, durations, wildcard matching, Rust Debug unescaping. Pure.
 */
export * from './text';
export * from './time';
export * from './glob';
export * from './rustDebug';
