/** What the benchmarks report of their rounds. */

/** The p-quantile (0.5: the median), interpolated between the two nearest values. */
export const quantile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const at = p * (sorted.length - 1)
  const below = sorted[Math.floor(at)] as number
  return below + ((sorted[Math.ceil(at)] as number) - below) * (at - Math.floor(at))
}

export const median = (xs: number[]): number => quantile(xs, 0.5)
