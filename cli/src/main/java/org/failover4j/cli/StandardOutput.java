package org.failover4j.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * A {@link PrintStream} that remembers why a write failed. A plain one keeps only a flag ({@link
 * #checkError()}), which cannot tell a reader that left ({@code | head -2}: a broken pipe, after
 * which Unix tools stop quietly with status 0) from a write that failed ({@code > /dev/full}: an
 * error worth status 1).
 */
final class StandardOutput extends PrintStream {

  private final Recorder recorder;

  private StandardOutput(Recorder recorder, Charset charset) {
    super(recorder, true, charset);
    this.recorder = recorder;
  }

  /** {@return the process's standard output, in the platform's default encoding} */
  static StandardOutput stdout() {
    return of(new FileOutputStream(FileDescriptor.out), Charset.defaultCharset());
  }

  /**
   * {@return a print stream over {@code out} that remembers its last write failure}
   *
   * @param out where the bytes go
   * @param charset the text encoding
   */
  static StandardOutput of(OutputStream out, Charset charset) {
    return new StandardOutput(new Recorder(out), charset);
  }

  /**
   * {@return whether {@code out} failed because its reader went away (EPIPE), the one write failure
   * a filter in a pipeline answers by stopping quietly}
   *
   * @param out a stream whose {@link #checkError()} is true
   */
  static boolean readerLeft(PrintStream out) {
    return out instanceof StandardOutput s
        && s.recorder.failure != null
        && "Broken pipe".equals(s.recorder.failure.getMessage());
  }

  /**
   * {@return why {@code out} failed, such as {@code No space left on device}, as far as it knows}
   *
   * @param out a stream whose {@link #checkError()} is true
   */
  static String why(PrintStream out) {
    if (out instanceof StandardOutput s && s.recorder.failure != null) {
      return s.recorder.failure.getMessage();
    }
    return "a write failed";
  }

  /** Passes bytes on and keeps the first exception, which PrintStream itself swallows. */
  private static final class Recorder extends FilterOutputStream {
    private volatile IOException failure;

    Recorder(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        keep(e);
        throw e;
      }
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        keep(e);
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        keep(e);
        throw e;
      }
    }

    private void keep(IOException e) {
      if (failure == null) {
        failure = e;
      }
    }
  }
}
