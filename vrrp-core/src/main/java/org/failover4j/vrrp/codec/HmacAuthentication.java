package org.failover4j.vrrp.codec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.failover4j.api.InvalidConfigurationException;

/**
 * keepalived 2.4's {@code auth_hmac} block for one instance: the keys by id, the one adverts are
 * signed with, the {@link HmacMode} and the {@link HmacAntiReplay} rule with its freshness window.
 * Immutable; keys never appear in {@link #toString()} or in an exception message.
 *
 * <pre>{@code
 * HmacAuthentication.builder()
 *     .key(1, "hex:000102...1f")     // 32..64 bytes: hex: prefix, or the text's bytes
 *     .key(2, newKeyBytes)
 *     .activeKey(1)                  // required with several keys
 *     .mode(HmacMode.RECEIVE_ONLY)   // while rolling out
 *     .build();
 * }</pre>
 */
public final class HmacAuthentication {

  /** Shortest key keepalived accepts: 32 bytes keep a 128-bit margin against a quantum search. */
  public static final int MIN_KEY_LENGTH = 32;

  /** Longest key keepalived accepts (one SHA-256 block). */
  public static final int MAX_KEY_LENGTH = 64;

  /** Freshness window bounds in seconds, and the floor of the derived default. */
  public static final int MIN_WINDOW_SECONDS = 1;

  /** The longest freshness window, seconds. */
  public static final int MAX_WINDOW_SECONDS = 300;

  private static final int DERIVED_WINDOW_FLOOR_SECONDS = 5;
  private static final String HEX_PREFIX = "hex:";

  private final byte[][] keysById;
  private final int activeKey;
  private final HmacMode mode;
  private final HmacAntiReplay antiReplay;
  private final int timeWindowSeconds;

  private HmacAuthentication(Builder b) {
    this.keysById = new byte[256][];
    b.keys.forEach((id, key) -> keysById[id] = key.clone());
    this.activeKey = b.activeKey;
    this.mode = b.mode;
    this.antiReplay = b.antiReplay;
    this.timeWindowSeconds = b.timeWindowSeconds;
  }

  /** {@return a builder: enforce, anti-replay time, window derived from the interval} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the id of the key adverts are signed with, 1..255} */
  public int activeKey() {
    return activeKey;
  }

  /** {@return the mode} */
  public HmacMode mode() {
    return mode;
  }

  /** {@return the anti-replay rule} */
  public HmacAntiReplay antiReplay() {
    return antiReplay;
  }

  /**
   * {@return true when a key with {@code id} is configured}
   *
   * @param id the key id
   */
  public boolean hasKey(int id) {
    return id >= 1 && id <= 255 && keysById[id] != null;
  }

  /** {@return how many keys are configured} */
  public int keyCount() {
    int n = 0;
    for (byte[] key : keysById) {
      if (key != null) {
        n++;
      }
    }
    return n;
  }

  /** The key with {@code id}, or null (shared: do not modify). */
  byte[] key(int id) {
    return keysById[id & 0xFF];
  }

  /**
   * The freshness window in seconds: the configured one, else keepalived's default, max(3 ×
   * interval in whole seconds, 5) and at most 300.
   *
   * @param intervalCentiseconds the instance's advert interval
   * @return seconds, 1..300
   */
  public int timeWindowSeconds(int intervalCentiseconds) {
    if (timeWindowSeconds != 0) {
      return timeWindowSeconds;
    }
    int derived = 3 * (intervalCentiseconds / 100);
    return Math.min(MAX_WINDOW_SECONDS, Math.max(DERIVED_WINDOW_FLOOR_SECONDS, derived));
  }

  /**
   * Decodes a key as keepalived writes it: {@code hex:} followed by hex digits for raw bytes,
   * otherwise the text's own bytes.
   *
   * @param text the key value
   * @return the key's bytes (length not checked)
   * @throws InvalidConfigurationException naming {@code hmacKey} for bad hex digits (never echoing
   *     the value)
   */
  public static byte[] decodeKey(String text) {
    if (text.startsWith(HEX_PREFIX)) {
      try {
        return HexFormat.of().parseHex(text.substring(HEX_PREFIX.length()));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigurationException(
            "hmacKey", "hex: must be followed by an even number of hex digits");
      }
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    StringBuilder ids = new StringBuilder();
    for (int id = 1; id < 256; id++) {
      if (keysById[id] != null) {
        ids.append(ids.length() == 0 ? "" : ",").append(id);
      }
    }
    return "HmacAuthentication[keys "
        + ids
        + " (hidden), active "
        + activeKey
        + ", "
        + mode.configName()
        + ", anti-replay "
        + antiReplay.configName()
        + (timeWindowSeconds != 0 ? ", window " + timeWindowSeconds + " s" : "")
        + "]";
  }

  /** Builds an {@link HmacAuthentication}; {@link #build()} validates every field. */
  public static final class Builder {
    private final Map<Integer, byte[]> keys = new TreeMap<>();
    private int activeKey;
    private HmacMode mode = HmacMode.ENFORCE;
    private HmacAntiReplay antiReplay = HmacAntiReplay.TIME;
    private int timeWindowSeconds;

    private Builder() {}

    /**
     * Adds a key (several for rotation: a receiver accepts every configured id).
     *
     * @param id the key id, 1..255, unique
     * @param key 32..64 bytes
     * @return this builder
     * @throws InvalidConfigurationException naming {@code hmacKeyId} or {@code hmacKey}
     */
    public Builder key(int id, byte[] key) {
      InvalidConfigurationException.requireInRange("hmacKeyId", id, 1, 255);
      if (keys.containsKey(id)) {
        throw new InvalidConfigurationException("hmacKeyId", "duplicate key id " + id);
      }
      Objects.requireNonNull(key, "key");
      if (key.length < MIN_KEY_LENGTH || key.length > MAX_KEY_LENGTH) {
        throw new InvalidConfigurationException(
            "hmacKey",
            "key "
                + id
                + " must be "
                + MIN_KEY_LENGTH
                + ".."
                + MAX_KEY_LENGTH
                + " bytes, was "
                + key.length);
      }
      keys.put(id, key.clone());
      return this;
    }

    /**
     * Adds a key written as keepalived writes it ({@link #decodeKey(String)}).
     *
     * @param id the key id, 1..255, unique
     * @param value {@code hex:HEX} or text, 32..64 bytes either way
     * @return this builder
     */
    public Builder key(int id, String value) {
      return key(id, decodeKey(value));
    }

    /**
     * The id of the key to sign with (required with several keys; with one, that one).
     *
     * @param id a configured key id
     * @return this builder
     */
    public Builder activeKey(int id) {
      this.activeKey = id;
      return this;
    }

    /**
     * The mode (default {@link HmacMode#ENFORCE}).
     *
     * @param value the mode
     * @return this builder
     */
    public Builder mode(HmacMode value) {
      this.mode = value;
      return this;
    }

    /**
     * The anti-replay rule (default {@link HmacAntiReplay#TIME}).
     *
     * @param value the rule
     * @return this builder
     */
    public Builder antiReplay(HmacAntiReplay value) {
      this.antiReplay = value;
      return this;
    }

    /**
     * The freshness window of {@link HmacAntiReplay#TIME}, whole seconds 1..300 (default max(3 ×
     * interval, 5 s)).
     *
     * @param value the window
     * @return this builder
     */
    public Builder timeWindow(Duration value) {
      InvalidConfigurationException.requirePresent("hmacTimeWindow", value);
      if (value.getNano() != 0
          || value.getSeconds() < MIN_WINDOW_SECONDS
          || value.getSeconds() > MAX_WINDOW_SECONDS) {
        throw new InvalidConfigurationException(
            "hmacTimeWindow", "must be whole seconds in 1..300, was " + value);
      }
      this.timeWindowSeconds = (int) value.getSeconds();
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the configuration
     * @throws InvalidConfigurationException naming the first invalid field and what is allowed
     */
    public HmacAuthentication build() {
      if (keys.isEmpty()) {
        throw new InvalidConfigurationException("hmacKey", "at least one key (id 1..255) needed");
      }
      if (activeKey == 0 && keys.size() == 1) {
        activeKey = keys.keySet().iterator().next();
      }
      if (activeKey == 0) {
        throw new InvalidConfigurationException(
            "hmacActiveKey", "required with " + keys.size() + " keys: one of " + keys.keySet());
      }
      if (!keys.containsKey(activeKey)) {
        throw new InvalidConfigurationException(
            "hmacActiveKey", "must be one of the key ids " + keys.keySet() + ", was " + activeKey);
      }
      InvalidConfigurationException.requirePresent("hmacMode", mode);
      InvalidConfigurationException.requirePresent("hmacAntiReplay", antiReplay);
      return new HmacAuthentication(this);
    }
  }
}
