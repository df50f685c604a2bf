/**
 * journal, Node part: the atomic writer and reader, inspection, repairs, the journal rule on a real path, journals in a folder, the process table.
 */
export * from './journalFile';
export * from './inspect';
export * from './repair';
export * from './rule';
export * from './directoryJournals';
export * from './processTable';
