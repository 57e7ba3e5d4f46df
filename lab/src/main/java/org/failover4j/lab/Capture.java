package org.failover4j.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A tshark capture to a pcap file, started inside a namespace. Read it back with {@link #fields},
 * which stops the capture first so that every frame is on disk.
 */
public final class Capture implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration WARM_UP = Duration.ofMillis(300);

  /**
   * dumpcap reads the kernel's packet ring in blocks with a 250 ms timeout and drops the partial
   * block when stopped: frames sent just before a stop would be lost without this pause.
   */
  private static final Duration SETTLE = Duration.ofMillis(600);

  /** tshark options that decode protocol 112 as CARP where the packet looks like CARP. */
  public static final List<String> DECODE_CARP = List.of("-o", "ip.try_heuristic_first:TRUE");

  /** tshark options that decode UDP port 8848 as IPVS connection sync. */
  public static final List<String> DECODE_IPVS = List.of("-d", "udp.port==8848,ipvs");

  private final LabProcess tshark;
  private final Path file;

  private Capture(LabProcess tshark, Path file) {
    this.tshark = tshark;
    this.file = file;
  }

  static Capture start(Lab lab, String namespace, String iface, String captureFilter, String name) {
    Path file = lab.file(name + ".pcap");
    List<String> command =
        new ArrayList<>(
            List.of("tshark", "-n", "-q", "-i", iface, "-F", "pcap", "-w", file.toString()));
    if (captureFilter != null && !captureFilter.isBlank()) {
      command.add("-f");
      command.add(captureFilter);
    }
    LabProcess process = lab.start(namespace, "capture-" + name, command);
    // tshark says so once dumpcap has opened the interface, yet frames in the next moments can
    // still be missed (seen with a fresh veth): a short warm-up makes the start reliable.
    process.awaitOutput("Capturing on", START_TIMEOUT);
    LabProcess.sleep(WARM_UP);
    return new Capture(process, file);
  }

  /** Stops capturing (tshark flushes the file on SIGTERM) and returns the pcap file. */
  public Path stop() {
    if (tshark.isAlive()) {
      LabProcess.sleep(SETTLE);
      tshark.signal("INT");
      try {
        if (tshark.waitFor(Duration.ofSeconds(10)).isEmpty()) {
          tshark.stop(Duration.ofSeconds(1));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while stopping " + tshark.name(), e);
      }
    }
    return file;
  }

  /** The pcap file (complete only after {@link #stop()}). */
  public Path file() {
    return file;
  }

  /**
   * Stops the capture and returns, for each frame matching {@code displayFilter}, the values of
   * {@code fields} ({@code tshark -T fields}); repeated fields are joined with commas.
   */
  public List<List<String>> fields(String displayFilter, String... fields) {
    return read(stop(), List.of(), displayFilter, fields);
  }

  /** As {@link #fields(String, String...)}, with extra tshark decoding options. */
  public List<List<String>> fields(
      List<String> tsharkOptions, String displayFilter, String... fields) {
    return read(stop(), tsharkOptions, displayFilter, fields);
  }

  /** The frames matching {@code displayFilter}, counted after stopping the capture. */
  public int count(String displayFilter) {
    return fields(displayFilter, "frame.number").size();
  }

  /** Reads fields from any pcap file with tshark, as {@link #fields} does. */
  public static List<List<String>> read(
      Path pcap, List<String> tsharkOptions, String displayFilter, String... fields) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "tshark",
                "-n",
                "-r",
                pcap.toString(),
                "-T",
                "fields",
                "-E",
                "separator=/t",
                "-E",
                "occurrence=a",
                "-E",
                "aggregator=,"));
    command.addAll(tsharkOptions);
    if (displayFilter != null && !displayFilter.isBlank()) {
      command.add("-Y");
      command.add(displayFilter);
    }
    for (String field : fields) {
      command.add("-e");
      command.add(field);
    }
    String out = Shell.run(command).orThrow().stdout();
    List<List<String>> rows = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isEmpty()) {
        rows.add(List.of(line.split("\t", -1)));
      }
    }
    return rows;
  }

  @Override
  public void close() {
    stop();
  }
}
