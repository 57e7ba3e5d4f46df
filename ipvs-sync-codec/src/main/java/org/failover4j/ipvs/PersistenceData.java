package org.failover4j.ipvs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.failover4j.api.InvalidConfigurationException;

/**
 * What a persistence engine attached to a template: the engine's name (the kernel has one, {@code
 * sip}) and its opaque data (for SIP, the Call-ID). The data is copied in and out, so the value
 * cannot change.
 *
 * @param engine the engine's name, 1 to 16 printable ASCII characters
 * @param data the engine's data, 1 to 255 bytes
 */
public record PersistenceData(String engine, byte[] data) {

  /**
   * Validates and copies.
   *
   * @param engine the persistence engine's name, such as {@code sip}
   * @param data the engine's data (copied)
   */
  public PersistenceData {
    InvalidConfigurationException.requirePresent("engine", engine);
    InvalidConfigurationException.requirePresent("data", data);
    InvalidConfigurationException.requireInRange(
        "engine length", engine.length(), 1, SyncWire.PE_NAME_MAX_LENGTH);
    for (int i = 0; i < engine.length(); i++) {
      char c = engine.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        throw new InvalidConfigurationException(
            "engine", "must be printable ASCII, has 0x" + Integer.toHexString(c));
      }
    }
    InvalidConfigurationException.requireInRange(
        "data length", data.length, 1, SyncWire.PE_DATA_MAX_LENGTH);
    data = data.clone();
  }

  /** {@return a copy of the engine's data} */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** {@return the data's length in bytes} */
  public int length() {
    return data.length;
  }

  byte[] engineBytes() {
    return engine.getBytes(StandardCharsets.US_ASCII);
  }

  byte[] dataUnsafe() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PersistenceData other
        && engine.equals(other.engine)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(engine, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return engine + ":" + HexFormat.of().formatHex(data);
  }
}
