// @ts-check
import tseslint from 'typescript-eslint';

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
  // The pure core of shared/ (codecs, validation, transitions, rendering, protocol) does
  // no I/O: no Node module, nothing from a node/ folder (files, /proc, sockets, configs),
  // nothing from the processes that use it. Tests run it without VS Code or a connection.
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/node/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'The pure core of shared/ does no I/O: put Node code in a node/ folder.' },
            { group: ['./node/*', '../node/*', '**/node/*', '**/node'], message: 'The pure core cannot import the Node part of shared/.' },
            {
              group: ['**/server/**', '**/client/**', '**/cli/**', 'vscode', 'vscode-languageserver*', 'vscode-languageclient*'],
              message: 'shared/ is used by every process: it imports none of them.',
            },
          ],
          paths: ['fs', 'path', 'os', 'child_process', 'net', 'crypto', 'util', 'events', 'stream'].map((name) => ({
            name,
            message: 'The pure core of shared/ does no I/O: put Node code in a node/ folder.',
          })),
        },
      ],
    },
  },
  { files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'cli/**/*.ts'], rules: { 'no-console': 'off' } },
  // node:test's describe/it return promises that the runner itself awaits.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-floating-promises': 'off' } },
);
