/**
 * supervisor: service names, who may trigger (allowed_uids, allowed_binaries) and the trigger's replies. Pure.
 */
export * from './service';
export * from './access';
export * from './triggerReply';
export * from './triggerOutcome';
export * from './triggerReport';
