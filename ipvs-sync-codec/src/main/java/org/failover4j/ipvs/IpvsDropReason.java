package org.failover4j.ipvs;

import org.failover4j.api.DropReason;

/**
 * Why a backup rejected a sync message or one of its entries, mirroring the checks of the Linux
 * kernel's {@code ip_vs_process_message()} in {@code net/netfilter/ipvs/ip_vs_sync.c}.
 *
 * <p>The kernel applies entries one by one, so the reasons fall in three groups (see {@link
 * #effect()}): a header fault drops the whole message; an entry fault stops the message there, the
 * entries before it having been applied already; an entry skip ignores that entry and goes on with
 * the next.
 */
public enum IpvsDropReason implements DropReason {

  /** Fewer than 4 bytes: not even a version 0 header ("message header too short"). */
  TRUNCATED_HEADER(Effect.MESSAGE),
  /** The datagram length differs from the header's size field ("bogus message size"). */
  SIZE_MISMATCH(Effect.MESSAGE),
  /** The message's syncid differs from the backup's, which is not 0 (it filters). */
  SYNCID_MISMATCH(Effect.MESSAGE),

  /**
   * An entry's fixed part (24 bytes in v0, 36 in v1) or a v0 entry's sequence block runs past the
   * end of the message ("bogus conn", "Dropping buffer, too small").
   */
  TRUNCATED_ENTRY(Effect.REST_OF_MESSAGE),
  /** A v1 entry's size field reaches past the end of the message ("msg > buffer"). */
  ENTRY_OVERRUNS_MESSAGE(Effect.REST_OF_MESSAGE),
  /** A v1 entry's 4-bit version is not 0 ("Unknown version"). */
  UNKNOWN_ENTRY_VERSION(Effect.REST_OF_MESSAGE),
  /** A v1 entry's type is even and not 0: neither IPv4 (0) nor IPv6 (bit 0 set). */
  UNKNOWN_ENTRY_TYPE(Effect.REST_OF_MESSAGE),
  /** A v1 entry's size is smaller than its fixed part (36 bytes for IPv4, 72 for IPv6). */
  ENTRY_SIZE_TOO_SMALL(Effect.REST_OF_MESSAGE),
  /** Fewer than 2 bytes are left in the entry for an option's type and length. */
  TRUNCATED_OPTION(Effect.REST_OF_MESSAGE),
  /** An option's length is 0 or its data runs past the end of the entry. */
  BAD_OPTION_LENGTH(Effect.REST_OF_MESSAGE),
  /** A sequence-data option whose length is not 24. */
  BAD_SEQUENCE_OPTION(Effect.REST_OF_MESSAGE),
  /** A persistence-engine name longer than 16 bytes. */
  PE_NAME_TOO_LONG(Effect.REST_OF_MESSAGE),
  /** The same option (sequence data, PE data or PE name) twice in one entry. */
  DUPLICATE_OPTION(Effect.REST_OF_MESSAGE),

  /** An option type the receiver does not know, without the "may ignore" bit 0x40. */
  UNKNOWN_MANDATORY_OPTION(Effect.ENTRY),
  /** A connection (not a template) for a protocol IPVS does not handle. */
  UNSUPPORTED_PROTOCOL(Effect.ENTRY),
  /** A connection (not a template) whose state is out of range for its protocol. */
  INVALID_STATE(Effect.ENTRY),
  /** Persistence-engine data without the engine's name ("Invalid PE parameters"). */
  PE_DATA_WITHOUT_NAME(Effect.ENTRY),
  /** Persistence-engine data for an engine the receiver does not have ("no engine found"). */
  UNKNOWN_PERSISTENCE_ENGINE(Effect.ENTRY);

  /** What a reason costs the message it was found in. */
  public enum Effect {
    /** The whole message is dropped before any entry is applied. */
    MESSAGE,
    /** Processing stops at the faulty entry; the entries before it were applied. */
    REST_OF_MESSAGE,
    /** Only this entry is ignored; the message goes on with the next one. */
    ENTRY
  }

  private final Effect effect;

  IpvsDropReason(Effect effect) {
    this.effect = effect;
  }

  /** {@return what this fault costs: the message, the rest of it, or one entry} */
  public Effect effect() {
    return effect;
  }
}
