/**
 * journal: the StateJournal model, its codecs, validation, transitions, findings, the journal rule, history and the decoded view. Pure.
 */
export * from './model';
export * from './codec';
export * from './uuid';
export * from './phaseInfo';
export * from './transitions';
export * from './validate';
export * from './findings';
export * from './rule';
export * from './history';
export * from './render';
export * from './changeReport';
export * from './refusal';
