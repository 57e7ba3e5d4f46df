package org.failover4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request on a plain socket, opened by the calling thread: inside a lab host's
 * namespace when called through {@code Host.call}, which a pooled HTTP client would not guarantee.
 *
 * @param status the status code
 * @param headers the response headers, names in lower case
 * @param body the body as UTF-8
 */
record HttpGet(int status, Map<String, String> headers, String body) {

  static HttpGet request(InetSocketAddress server, String method, String path) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(server, 5_000);
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      String host = server.getAddress().getHostAddress();
      out.write(
          (method
                  + " "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + (host.contains(":") ? "[" + host + "]" : host)
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int end = response.indexOf("\r\n\r\n");
      String[] head = response.substring(0, end).split("\r\n");
      Map<String, String> headers = new TreeMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        headers.put(
            head[i].substring(0, colon).toLowerCase(Locale.ROOT),
            head[i].substring(colon + 1).strip());
      }
      return new HttpGet(
          Integer.parseInt(head[0].split(" ")[1]), headers, response.substring(end + 4));
    }
  }

  static HttpGet get(InetSocketAddress server, String path) throws IOException {
    return request(server, "GET", path);
  }
}
