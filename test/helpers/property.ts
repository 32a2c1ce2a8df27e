/** A fast-check property as one tap assertion, with the counterexample in the failure message. */
import fc from 'fast-check'
import type { Test } from 'tap'

export function holds<T> (t: Test, name: string, property: fc.IProperty<T>, params: fc.Parameters<T> = {}): void {
  const result = fc.check(property, { seed: 20261125, ...params })
  t.notOk(result.failed, result.failed ? `${name}\n${fc.defaultReportMessage(result) ?? ''}` : name)
}
