// Test tiers (see README): unit = pure logic; int = real Postgres and Kafka; e2e = the six services over HTTP;
// resilience = the stack while its broker restarts. tools/test.mjs runs them in that order.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    },
  ],
};
// otplib's default plugins (@scure/base, @noble/hashes) ship ES modules only; Node requires them
// natively, Jest's module loader does not, so they are compiled to CommonJS like our own code.
transform['^.+\\.m?js$'] = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const transformIgnorePatterns = ['/node_modules/(?!(@scure|@noble)/)'];
const moduleNameMapper = { '^@tally/(.*)$': '<rootDir>/libs/$1/src/index.ts' };
const common = { rootDir: __dirname, transform, transformIgnorePatterns, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...common, displayName: 'int', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/tests/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tests/stack.global-setup.ts',
      globalTeardown: '<rootDir>/tests/stack.global-teardown.ts',
    },
    {
      ...common,
      displayName: 'resilience',
      testMatch: ['<rootDir>/tests/resilience/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tests/stack.global-setup.ts',
      globalTeardown: '<rootDir>/tests/stack.global-teardown.ts',
    },
  ],
};
