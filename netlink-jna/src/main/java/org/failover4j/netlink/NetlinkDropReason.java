package org.failover4j.netlink;

import org.failover4j.api.DropReason;

/** Why a netlink message or attribute was rejected by the decoders of this module. */
public enum NetlinkDropReason implements DropReason {
  /** Fewer bytes are left than a message header needs (16). */
  TRUNCATED_HEADER,
  /** A message length is below the header size or beyond the bytes received. */
  BAD_MESSAGE_LENGTH,
  /** A family header or a fixed field lies beyond the message payload. */
  TRUNCATED_PAYLOAD,
  /** An attribute's length is below its own header size (4). */
  BAD_ATTRIBUTE_LENGTH,
  /** An attribute's length reaches beyond the bytes that contain it. */
  TRUNCATED_ATTRIBUTE,
  /** An attribute's value has the wrong size for its type. */
  BAD_ATTRIBUTE_VALUE,
  /** A required attribute is absent. */
  MISSING_ATTRIBUTE,
  /** An error or done message is too short for the fields it must carry. */
  TRUNCATED_ERROR
}
