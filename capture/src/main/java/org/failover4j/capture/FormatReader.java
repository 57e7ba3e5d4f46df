package org.failover4j.capture;

import java.io.IOException;

/** Reads the frames of one capture format, once its magic number chose it. */
interface FormatReader {

  /**
   * Reads the next frame.
   *
   * @return the next frame, or null at the end of the file
   * @throws CaptureFileException if the file is truncated or corrupt at this point
   * @throws IOException if reading fails
   */
  CapturedFrame next() throws IOException;
}
