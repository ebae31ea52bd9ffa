package io.enareceiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not YAML, too big, hostile or missing are refused with a clear message. */
class YamlSafetyTest {
  @TempDir Path dir;

  private ConfigException loadFails(Path file) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, name -> null));
    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(1);
    return e;
  }

  @Test
  void missingFile() {
    Path file = dir.resolve("nope.yaml");
    assertThat(loadFails(file).getMessage()).isEqualTo(file + ": file does not exist");
  }

  @Test
  void directoryInsteadOfFile() {
    assertThat(loadFails(dir).getMessage()).isEqualTo(dir + ": is a directory; expected a YAML config file");
  }

  @Test
  void syntaxErrorGivesLineAndColumn() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.yaml"), "receivers:\n  ethtool:\n    interfaces: [eth0\n  exporters: {}\n");
    ConfigProblem problem = loadFails(file).problems().getFirst();
    assertThat(problem.file()).isEqualTo(file.toString());
    assertThat(problem.line()).isEqualTo(4);
    assertThat(problem.message()).startsWith("not valid YAML (column ");
  }

  @Test
  void binaryFileIsNotUtf8() throws Exception {
    Path file = Files.write(dir.resolve("x.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0xc3});
    assertThat(loadFails(file).getMessage()).endsWith("is not UTF-8 text; expected a YAML config file");
  }

  @Test
  void fileOverOneMebibyteIsRefusedUnread() throws Exception {
    Path file = Files.writeString(dir.resolve("big.yaml"), "# " + "x".repeat(1 << 20) + "\n");
    assertThat(loadFails(file).getMessage()).contains("larger than 1 MiB");
  }

  @Test
  void billionLaughsIsRefused() throws Exception {
    StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char level = 'b'; level <= 'i'; level++) {
      char previous = (char) (level - 1);
      bomb.append(level).append(": &").append(level).append(" [");
      for (int i = 0; i < 9; i++) {
        bomb.append(i == 0 ? "" : ",").append('*').append(previous);
      }
      bomb.append("]\n");
    }
    Path file = Files.writeString(dir.resolve("bomb.yaml"), bomb);
    assertThat(loadFails(file).getMessage())
        .contains("more than 50 aliases to lists or mappings")
        .contains("billion laughs");
  }

  @Test
  void recursiveAliasDoesNotLoop() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> ConfigLoader.parse("receivers: &r {ethtool: *r}\n", "r.yaml", dir, name -> null));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).startsWith("r.yaml:");
  }

  @Test
  void deepNestingIsRefused() {
    String deep = "[".repeat(200) + "]".repeat(200);
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(deep, "d.yaml", dir, name -> null));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("nested more than 50 levels");
  }

  @Test
  void secondDocumentIsRefused() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parse("receivers: {}\n---\nexporters: {}\n", "m.yaml", dir, name -> null));
    assertThat(e).isNotNull();
    assertThat(e.problems().getFirst().line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("not valid YAML").contains("single document");
  }
}
