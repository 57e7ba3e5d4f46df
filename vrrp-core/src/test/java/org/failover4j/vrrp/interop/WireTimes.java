package org.failover4j.vrrp.interop;

import java.util.List;

/** Reads times out of {@code tshark -T fields} rows whose first two fields are time and source. */
final class WireTimes {

  private final List<List<String>> rows;

  /** Rows of {@code frame.time_epoch, <source>, ...}. */
  WireTimes(List<List<String>> rows) {
    this.rows = rows;
  }

  /** The time of the last frame from {@code source}, optionally with {@code extra} in column 2. */
  double last(String source) {
    double t = Double.NaN;
    for (List<String> row : rows) {
      if (row.get(1).equals(source)) {
        t = time(row);
      }
    }
    return t;
  }

  /** The time of the first frame from {@code source} after {@code after}. */
  double firstAfter(String source, double after) {
    for (List<String> row : rows) {
      if (row.get(1).equals(source) && time(row) > after) {
        return time(row);
      }
    }
    return Double.NaN;
  }

  /**
   * The time of the first frame from {@code source} whose column {@code column} is {@code value}.
   */
  double first(String source, int column, String value) {
    for (List<String> row : rows) {
      if (row.get(1).equals(source) && row.get(column).equals(value)) {
        return time(row);
      }
    }
    return Double.NaN;
  }

  /** How many frames came from {@code source}. */
  long count(String source) {
    return rows.stream().filter(r -> r.get(1).equals(source)).count();
  }

  private static double time(List<String> row) {
    return Double.parseDouble(row.get(0));
  }

  @Override
  public String toString() {
    return rows.toString();
  }
}
