/**
 * supervisorLog: parsing the supervisor's log, one handoff's lines, their summary and the log view. Pure.
 */
export * from './parse';
export * from './events';
export * from './handoff';
export * from './summary';
export * from './render';
export * from './records';
