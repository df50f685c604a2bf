/**
 * supervisorLog: parsing the supervisor's log (its lines within bounds, their heads scanned in linear time), one handoff's lines, their summary and the log view. Pure.
 */
export * from './parse';
export * from './header';
export * from './lines';
export * from './events';
export * from './handoff';
export * from './summary';
export * from './render';
export * from './records';
export * from './notices';
export * from './outcome';
export * from './trust';
export * from './command';
