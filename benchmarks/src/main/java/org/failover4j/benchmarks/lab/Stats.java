package org.failover4j.benchmarks.lab;

import java.util.Arrays;
import java.util.List;

/** Percentiles of a sample, nearest-rank, as the bench reports them. */
public final class Stats {

  private Stats() {}

  /** The {@code p}-th percentile (0 < p <= 100) of {@code values} by nearest rank; NaN if empty. */
  public static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  /** The largest value; NaN if empty. */
  public static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** {@code value} rounded to two decimals, or null (JSON null) for NaN. */
  public static String json(double value) {
    return Double.isNaN(value) ? "null" : String.format(java.util.Locale.ROOT, "%.2f", value);
  }
}
