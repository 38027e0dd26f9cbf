// ESLint flat config (ESLint 9). Fast on purpose: typescript-eslint "recommended", not the type-checked set.
// Layering is enforced by @nx/enforce-module-boundaries from the tags in each project.json:
//   scope axis: scope:<app> -> itself + scope:shared; scope:shared -> scope:shared (an app never imports another app)
//   type axis:  app -> contracts | util | data-access; data-access -> data-access | util | contracts;
//               util -> util | contracts; contracts -> contracts; testing -> any shared lib.
// bootstrap is tagged type:data-access (not util): it wires @tally/database and @tally/messaging into runService.
// Test files (*.spec.ts, *.int-spec.ts, *.e2e-spec.ts) may additionally import type:testing libs (@tally/testing).
import nx from '@nx/eslint-plugin';
import { createProjectGraphAsync } from 'nx/src/devkit-exports.js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';

// @nx/enforce-module-boundaries only reads the *cached* project graph and silently skips itself when there is none
// (fresh clone / CI) or lints against stale tags. Refresh the cache first (~1s, incremental; no daemon, no Nx Cloud).
process.env.NX_DAEMON ??= 'false';
process.env.NX_NO_CLOUD ??= 'true';
await createProjectGraphAsync({ exitOnError: false });

const APPS = ['gateway', 'identity', 'ledger', 'fraud', 'analytics', 'notification', 'web'];
const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const WEB_FILES = ['apps/web/**/*.ts', 'apps/web/**/*.tsx'];
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'tests/**/*.ts'];

/** @param {{ tests: boolean }} opts */
function depConstraints({ tests }) {
  const withTesting = (tags) => (tests ? [...tags, 'type:testing'] : tags);
  return [
    // Scope axis.
    ...APPS.map((app) => ({ sourceTag: `scope:${app}`, onlyDependOnLibsWithTags: [`scope:${app}`, 'scope:shared'] })),
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    // Type axis.
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: withTesting(['type:contracts', 'type:util', 'type:data-access']) },
    {
      sourceTag: 'type:data-access',
      onlyDependOnLibsWithTags: withTesting(['type:data-access', 'type:util', 'type:contracts']),
    },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: withTesting(['type:util', 'type:contracts']) },
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: withTesting(['type:contracts']) },
    {
      sourceTag: 'type:testing',
      onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:util', 'type:contracts'],
    },
  ];
}

/** @param {{ tests: boolean }} opts */
const moduleBoundaries = (opts) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: depConstraints(opts),
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.nx/**',
      '**/coverage/**',
      '**/tmp/**',
      // benchmark output (reports, raw results); bench sources themselves are linted
      // generated from the OpenAPI document by npm run docs
      'libs/sdk/src/api-schema.ts',
      'bench/results/**',
      'bench/out/**',
      'bench/output/**',
      'bench/reports/**',
      '**/*.d.ts',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
  },
  ...tseslint.configs.recommended,
  {
    files: [...TS_FILES, '**/*.js', '**/*.mjs', '**/*.cjs'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    files: TS_FILES,
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ tests: false }) },
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ tests: true }) },
  },
  {
    // Test support and tests read arbitrary JSON responses; `any` defaults (e.g. ApiClient.get<T = any>) are deliberate there.
    files: ['libs/testing/**/*.ts', ...TEST_FILES],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The web apps (React): hooks used by the rules, and accessibility checked in the markup.
    files: WEB_FILES,
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    files: WEB_FILES,
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    // Plain Node scripts (tools/*.mjs, jest.config.js) are CommonJS/ESM JavaScript, not TypeScript.
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // money and contracts are pure domain code: no framework, ORM or broker client.
    files: ['libs/money/**/*.ts', 'libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/*', 'typeorm', 'typeorm/*', 'kafkajs', 'kafkajs/*'],
              message: 'libs/money and libs/contracts must stay framework-free (no NestJS, TypeORM or kafkajs).',
            },
          ],
        },
      ],
    },
  },
);
