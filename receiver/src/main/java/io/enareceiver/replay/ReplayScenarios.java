package io.enareceiver.replay;

import io.enareceiver.ena.Capture;
import io.enareceiver.ena.CaptureException;
import io.enareceiver.ena.CaptureParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Loads replay captures: files named in the configuration, or a scenario shipped in the jar
 * ({@code builtin:NAME}).
 *
 * <p>A built-in scenario lives under {@code /scenarios/NAME/} on the class path. Jar resources
 * cannot be listed, so each scenario has an {@code index.txt} naming its captures in play
 * order, and {@code /scenarios/index.txt} names the scenarios. Index format, one entry a line,
 * {@code #} comments and blank lines ignored:
 * <pre>
 * interface: eth0
 * mac: 0a:1b:2c:3d:4e:5f
 * driver: ena
 * capture: 000.txt
 * capture: 001.txt
 * </pre>
 */
public final class ReplayScenarios {
  /** Prefix of a {@code captures} value that names a built-in scenario. */
  public static final String BUILTIN_PREFIX = "builtin:";

  private static final String ROOT = "/scenarios/";
  private static final String INDEX = "index.txt";
  private static final int MAX_INDEX_LINES = 100_000;
  private static final Pattern SCENARIO_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern CAPTURE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ReplayScenarios() {}

  public static boolean isBuiltin(String capturesSpec) {
    return capturesSpec != null && capturesSpec.startsWith(BUILTIN_PREFIX);
  }

  /**
   * The captures a replay entry plays: the built-in scenario when {@code capturesSpec} is
   * {@code builtin:NAME}, else {@code files} in the given order (the configuration already
   * resolved and sorted them).
   */
  public static List<Capture> load(String capturesSpec, List<Path> files) throws CaptureException {
    if (isBuiltin(capturesSpec)) {
      return loadBuiltin(capturesSpec.substring(BUILTIN_PREFIX.length())).captures();
    }
    return loadFiles(capturesSpec == null ? "replay" : capturesSpec, files);
  }

  /** Parses each file once; the first unusable file fails the whole list, naming that file. */
  public static List<Capture> loadFiles(String spec, List<Path> files) throws CaptureException {
    if (files == null || files.isEmpty()) {
      throw new CaptureException(spec, "no capture files match; expected one or more files holding"
          + " `ethtool -S IFACE` output, or builtin:NAME (built-in: " + String.join(", ", builtinNames()) + ")");
    }
    List<Capture> out = new ArrayList<>(files.size());
    for (Path file : files) {
      out.add(CaptureParser.parse(file));
    }
    return List.copyOf(out);
  }

  /** Names listed in {@code /scenarios/index.txt}; empty when the jar has none. */
  public static List<String> builtinNames() {
    try (InputStream in = ReplayScenarios.class.getResourceAsStream(ROOT + INDEX)) {
      if (in == null) {
        return List.of();
      }
      List<String> names = new ArrayList<>();
      for (String line : lines(in, ROOT + INDEX)) {
        names.add(line);
      }
      return List.copyOf(names);
    } catch (IOException | CaptureException e) {
      return List.of();
    }
  }

  /** Loads and parses a built-in scenario by name. */
  public static Scenario loadBuiltin(String name) throws CaptureException {
    String spec = BUILTIN_PREFIX + name;
    if (!SCENARIO_NAME.matcher(name).matches()) {
      throw unknown(spec, name);
    }
    String dir = ROOT + name + "/";
    String indexName = dir + INDEX;
    String iface = null;
    String mac = "";
    String driver = "ena";
    List<String> captureNames = new ArrayList<>();
    try (InputStream in = ReplayScenarios.class.getResourceAsStream(indexName)) {
      if (in == null) {
        throw unknown(spec, name);
      }
      int lineNo = 0;
      for (String line : lines(in, indexName)) {
        lineNo++;
        int colon = line.indexOf(':');
        String key = colon < 0 ? "" : line.substring(0, colon).strip();
        String value = colon < 0 ? "" : line.substring(colon + 1).strip();
        switch (key) {
          case "interface" -> iface = value;
          case "mac" -> mac = value.toLowerCase(java.util.Locale.ROOT);
          case "driver" -> driver = value;
          case "capture" -> {
            if (!CAPTURE_NAME.matcher(value).matches()) {
              throw new CaptureException(indexName, "entry " + lineNo + ": capture name '" + value
                  + "' is not a plain file name in this folder");
            }
            captureNames.add(value);
          }
          default -> throw new CaptureException(indexName, "entry " + lineNo + ": '" + line
              + "'; expected 'interface: NAME', 'mac: MAC', 'driver: NAME' or 'capture: FILE'");
        }
      }
    } catch (IOException e) {
      throw new CaptureException(indexName, "cannot read: " + e.getMessage(), e);
    }
    if (captureNames.isEmpty()) {
      throw new CaptureException(indexName, "lists no captures; expected 'capture: FILE' lines");
    }
    List<Capture> captures = new ArrayList<>(captureNames.size());
    for (String file : captureNames) {
      String resource = dir + file;
      try (InputStream in = ReplayScenarios.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new CaptureException(resource, "listed in " + indexName + " but missing from the jar");
        }
        captures.add(CaptureParser.parse(in, resource));
      } catch (IOException e) {
        throw new CaptureException(resource, "cannot read: " + e.getMessage(), e);
      }
    }
    String ifaceName = iface != null ? iface : captures.getFirst().interfaceName();
    return new Scenario(name, ifaceName, mac, driver, captures);
  }

  private static CaptureException unknown(String spec, String name) {
    List<String> known = builtinNames();
    return new CaptureException(spec, "no built-in scenario '" + name + "'; built-in scenarios: "
        + (known.isEmpty() ? "(none in this build)" : String.join(", ", known)));
  }

  /** Non-blank, non-comment lines, stripped; bounded so a broken resource cannot exhaust memory. */
  private static List<String> lines(InputStream in, String source) throws IOException, CaptureException {
    List<String> out = new ArrayList<>();
    var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int count = 0;
    while ((line = reader.readLine()) != null) {
      if (++count > MAX_INDEX_LINES) {
        throw new CaptureException(source, "more than " + MAX_INDEX_LINES + " lines");
      }
      String s = line.strip();
      if (!s.isEmpty() && s.charAt(0) != '#') {
        out.add(s);
      }
    }
    return out;
  }
}
