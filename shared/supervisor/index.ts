/**
 * supervisor: service names and the trigger's replies. Pure.
 */
export * from './service';
export * from './triggerReply';
