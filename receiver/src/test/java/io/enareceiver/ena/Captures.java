package io.enareceiver.ena;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The real captures copied from the shared fixtures into test resources. */
public final class Captures {
  private Captures() {}

  public static final String ENA_1X = "ena-1.2.0k-4queues-ethq15.txt";
  public static final String ENA_2X = "ena-2.x-kernel5.4-2queues-qmar1.txt";
  public static final String ENA_EXPRESS_DOC = "ena-express-awsdocs-tab-indent.txt";
  public static final String BNX2X = "bnx2x-8queues-ethq6.txt";
  public static final String MLX5 = "mlx5_core-5.0-0-16queues-ethq8.txt";
  public static final String VIRTIO = "virtio_net-1queue-blog-chenjun305.txt";

  public static Path path(String name) {
    try {
      return Path.of(Captures.class.getResource("/captures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String text(String name) {
    try (InputStream in = Captures.class.getResourceAsStream("/captures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Capture parse(String name) throws CaptureException {
    return CaptureParser.parse(path(name));
  }
}
