import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'coverage/**', '.ab/**', '.tap/**'], env: ['browser'], files: ['dashboard/**/*.js'] }),
  {
    rules: {
      // Short related properties share a line inside a broken object literal (schemas, fixtures, tables in tests).
      '@stylistic/object-property-newline': 'off',
      '@stylistic/object-curly-newline': 'off',
      // `void promise` as a statement marks a promise deliberately not awaited (Fastify's reply.send, app.register).
      'no-void': ['error', { allowAsStatement: true }]
    }
  }
]
