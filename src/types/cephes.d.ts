// The cephes package ships index.d.ts but its "exports" give no "types" condition, so nodenext resolution cannot
// find it; these are the functions the estimator uses, as that file declares them.
declare module 'cephes' {
  const cephes: {
    /** Resolves once the WebAssembly is compiled (at once on Node). */
    compiled: Promise<void>
    /** The regularized lower incomplete gamma function P(a, x). */
    igam: (a: number, x: number) => number
    /** The regularized incomplete beta function I_x(a, b). */
    incbet: (a: number, b: number, x: number) => number
  }
  export default cephes
}
