package org.failover4j.api;

/**
 * A builder rejected a value. The message names the field and what is allowed, such as {@code
 * priority: must be in 1..254, was 0}.
 */
public class InvalidConfigurationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** The rejected field's name. */
  private final String field;

  /** What is wrong with its value. */
  private final String problem;

  /**
   * The field {@code field} is invalid, as {@code problem} explains.
   *
   * @param field the field's name, as the builder spells it
   * @param problem what is wrong, such as {@code must be in 1..254, was 0}
   */
  public InvalidConfigurationException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** {@return what is wrong, without the field's name, such as {@code must be in 1..254, was 0}} */
  public String problem() {
    return problem;
  }

  /** {@return the name of the rejected field, as the builder spells it} */
  public String field() {
    return field;
  }

  /**
   * Returns {@code value} when it lies in {@code min..max}, else throws naming the field.
   *
   * @param field the field's name, as the builder spells it
   * @param value the value given
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @return {@code value}
   */
  public static int requireInRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidConfigurationException(
          field, "must be in " + min + ".." + max + ", was " + value);
    }
    return value;
  }

  /**
   * Returns {@code value} when it is not null, else throws naming the field.
   *
   * @param <T> the value's type
   * @param field the field's name, as the builder spells it
   * @param value the value given
   * @return {@code value}
   */
  public static <T> T requirePresent(String field, T value) {
    if (value == null) {
      throw new InvalidConfigurationException(field, "is required");
    }
    return value;
  }

  /**
   * Returns {@code value} when it is a listener-shutdown timeout every role source accepts, 0..10
   * min, else throws naming the field {@code listenerShutdownTimeout}.
   *
   * @param value the timeout given
   * @return {@code value}
   */
  public static java.time.Duration requireListenerShutdownTimeout(java.time.Duration value) {
    if (value == null
        || value.isNegative()
        || value.compareTo(java.time.Duration.ofMinutes(10)) > 0) {
      throw new InvalidConfigurationException(
          "listenerShutdownTimeout", "must be in 0..10 min, was " + value);
    }
    return value;
  }
}
