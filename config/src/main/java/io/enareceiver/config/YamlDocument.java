package io.enareceiver.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a config file's text and composes it into a SnakeYAML node tree (not Java objects), so
 * every value keeps its line and nothing in the file can make SnakeYAML build arbitrary types.
 * Limits keep a hostile file cheap to reject: at most 1 MiB, at most {@value #MAX_COLLECTION_ALIASES}
 * aliases to lists or mappings (the "billion laughs" bomb), nesting at most
 * {@value #MAX_NESTING} deep.
 */
final class YamlDocument {
  private YamlDocument() {}

  static final int MAX_BYTES = 1 << 20;
  static final int MAX_COLLECTION_ALIASES = 50;
  static final int MAX_NESTING = 50;

  /** Reads the file as UTF-8 text, refusing anything missing, unreadable, too big or binary. */
  static String read(Path file) throws ConfigException {
    String name = file.toString();
    if (Files.isDirectory(file)) {
      throw ConfigException.of(name, 0, "", "is a directory; expected a YAML config file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw ConfigException.of(name, 0, "", "file does not exist");
    } catch (AccessDeniedException e) {
      throw ConfigException.of(name, 0, "", "cannot read the file: permission denied");
    } catch (IOException e) {
      throw ConfigException.of(name, 0, "", "cannot read the file: " + e);
    }
    if (bytes.length > MAX_BYTES) {
      throw ConfigException.of(
          name, 0, "", "file is larger than 1 MiB; refusing to read it as a config file");
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw ConfigException.of(name, 0, "", "is not UTF-8 text; expected a YAML config file");
    }
  }

  /**
   * Composes the text into a node tree.
   *
   * @return the root node, or null for an empty document (only blanks and comments)
   */
  static Node compose(String text, String file) throws ConfigException {
    if (text.length() > MAX_BYTES) {
      throw ConfigException.of(
          file, 0, "", "text is larger than 1 MiB; refusing to read it as a config file");
    }
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
    options.setCodePointLimit(MAX_BYTES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setAllowRecursiveKeys(false);
    try {
      return new Yaml(options).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      throw syntaxError(e, file);
    } catch (RuntimeException e) {
      // Limits (aliases, nesting, size) and anything else SnakeYAML refuses without a position.
      throw ConfigException.of(file, 0, "", "not a usable YAML document: " + describe(e));
    } catch (StackOverflowError e) {
      // Nesting is limited above; this is a last line of defence, not an expected path.
      throw ConfigException.of(file, 0, "", "not a usable YAML document: nested too deeply");
    }
  }

  private static ConfigException syntaxError(MarkedYAMLException e, String file) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    int line = mark == null ? 0 : mark.getLine() + 1;
    String where = mark == null ? "" : " (column " + (mark.getColumn() + 1) + ")";
    String problem = e.getProblem() == null ? String.valueOf(e.getMessage()) : e.getProblem();
    String context = e.getContext() == null ? "" : " " + e.getContext();
    return ConfigException.of(
        file, line, "", "not valid YAML" + where + ": " + oneLine(problem) + oneLine(context));
  }

  private static String describe(RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("aliases for non-scalar nodes")) {
      return "more than " + MAX_COLLECTION_ALIASES
          + " aliases to lists or mappings (refusing a possible 'billion laughs' YAML bomb)";
    }
    if (message.contains("Nesting Depth")) {
      return "nested more than " + MAX_NESTING + " levels deep";
    }
    if (message.contains("exceeds the limit")) {
      return "larger than 1 MiB";
    }
    return oneLine(message);
  }

  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ");
  }
}
