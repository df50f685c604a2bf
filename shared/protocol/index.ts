/**
 * protocol: the wire contract between the extension and its language server (messages, settings, the server's launch).
 */
export * from './messages';
export * from './requests';
export * from './settings';
export * from './serverLaunch';
