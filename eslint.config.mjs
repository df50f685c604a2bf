// @ts-check
import tseslint from 'typescript-eslint';

/**
 * The features of shared/ and what each may import (docs/architecture.md, "Code map").
 * Dependencies point one way: util <- journal <- supervisor, supervisorLog, diagram <- fleet;
 * launcher uses util only; protocol (the wire contract) may use any feature, and no
 * feature uses it.
 */
const FEATURES = {
  util: [],
  journal: ['util'],
  launcher: ['util'],
  supervisor: ['util', 'journal'],
  supervisorLog: ['util', 'journal'],
  diagram: ['util', 'journal'],
  fleet: ['util', 'journal', 'supervisor', 'supervisorLog', 'diagram'],
  protocol: ['util', 'journal', 'supervisor', 'supervisorLog', 'diagram', 'fleet', 'launcher'],
};
const NAMES = Object.keys(FEATURES);
const PROCESSES = {
  group: ['**/server/**', '**/client/**', '**/cli/**', 'vscode', 'vscode-languageserver*', 'vscode-languageclient*'],
  message: 'shared/ is used by every process: it imports none of them.',
};
const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'net', 'crypto', 'util', 'events', 'stream'];

/** The no-restricted-imports options for files of `feature`, `up` folders below shared/. */
function featureRule(feature, up, pure) {
  const toShared = '../'.repeat(up);
  const others = NAMES.filter((n) => n !== feature);
  const patterns = [
    PROCESSES,
    {
      group: others.filter((n) => !FEATURES[feature].includes(n)).flatMap((n) => [`${toShared}${n}`, `${toShared}${n}/**`]),
      message: `shared/${feature} may use only ${FEATURES[feature].join(', ') || 'no other feature'} (dependencies point one way: docs/architecture.md).`,
    },
    {
      // Another feature only through its index (or its node/ index).
      group: others.flatMap((n) => [`${toShared}${n}/*`, `!${toShared}${n}/node`, `${toShared}${n}/node/*`]),
      message: 'Import another feature through its index.ts (or node/index.ts), never a module inside it.',
    },
  ];
  if (feature !== 'protocol')
    patterns.push({ group: ['vscode-jsonrpc', 'vscode-jsonrpc/*'], message: 'Only shared/protocol holds the wire contract.' });
  if (pure) {
    patterns.push(
      { group: ['node:*'], message: 'The pure core of shared/ does no I/O: put Node code in a node/ folder.' },
      {
        group: ['./node', './node/*', '../node', '../node/*', '**/node/*', '**/node'],
        message: 'The pure core cannot import a node/ part.',
      },
    );
  }
  return [
    'error',
    {
      patterns: patterns.filter((p) => p.group.length > 0),
      paths: pure
        ? NODE_BUILTINS.map((name) => ({ name, message: 'The pure core of shared/ does no I/O: put Node code in a node/ folder.' }))
        : [],
    },
  ];
}

/** One config per feature and depth: shared/F/*.ts, shared/F/X/*.ts (codec, node), shared/F/X/Y/*.ts. */
const layering = NAMES.flatMap((f) => [
  { files: [`shared/${f}/*.ts`], rules: { 'no-restricted-imports': featureRule(f, 1, true) } },
  { files: [`shared/${f}/*/*.ts`], ignores: [`shared/${f}/node/*.ts`], rules: { 'no-restricted-imports': featureRule(f, 2, true) } },
  { files: [`shared/${f}/node/*.ts`], rules: { 'no-restricted-imports': featureRule(f, 2, false) } },
]);

/** Outside shared/: the core only through a feature's index (tests may reach inside to test a module). */
const throughIndex = {
  files: ['server/**/*.ts', 'client/**/*.ts', 'cli/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['**/shared/*/*', '!**/shared/*/node', '**/shared/*/node/*'],
            message: 'Import the core through a feature index (shared/<feature> or shared/<feature>/node).',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'test/fixtures/**', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json' } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  throughIndex,
  ...layering,
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'cli/**/*.ts'], rules: { 'no-console': 'off' } },
  // node:test's describe/it return promises that the runner itself awaits.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-floating-promises': 'off' } },
  // Property tests take fast-check with the project's seed and time limit.
  {
    files: ['test/**/*.ts'],
    ignores: ['test/support/properties.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'fast-check', message: 'import { fc } from test/support/properties (a fixed seed, shrinking bounded in time).' }],
        },
      ],
    },
  },
);
