package io.enareceiver.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.it.harness.Prerequisites;
import io.enareceiver.testing.netns.NetnsFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's command as operators run it: the built jar, inside a network namespace the
 * test made (so {@code /sys/class/net} is that namespace's), against a veth and an ifb whose
 * counters the test moves. {@code stats --format json} must equal {@code ethtool -S}, stat for
 * stat, and the ifb's packet counter must move by at least the datagrams sent.
 */
class StatsCommandKernelTest {
  private static final Pattern STAT = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\":(\\d+)");

  @Test
  void jsonEqualsEthtoolForVethAndIfbAndTheIfbCounterMovesWithTraffic() throws Exception {
    try (NetnsFixture net = NetnsFixture.create()) {
      NetnsFixture.Namespace a = net.namespace();
      NetnsFixture.Namespace b = net.namespace();
      NetnsFixture.VethPair pair = net.vethPair(a, "st0", b, "st1", 2);
      net.ifbIngressOf(b, "st1", "stifb0");

      Map<String, Long> before = statsJson(b, "stifb0");
      int sent = 300;
      net.sendUdp(a, pair.addrB(), sent);
      // Quiet link again: no traffic of our own in these namespaces between the two reads.
      Map<String, Long> ifbJson = statsJson(b, "stifb0");
      Map<String, Long> ifbEthtool = ethtool(net, b, "stifb0");
      assertThat(ifbJson).isEqualTo(ifbEthtool);
      assertThat(ifbJson.get("rx_queue_0_packets") - before.get("rx_queue_0_packets")).isGreaterThanOrEqualTo(sent);

      Map<String, Long> vethJson = statsJson(b, "st1");
      assertThat(vethJson).isEqualTo(ethtool(net, b, "st1")).isNotEmpty();
      assertThat(vethJson.keySet()).containsSequence(new ArrayList<>(ethtool(net, b, "st1").keySet()));
    }
  }

  @Test
  void anUnknownInterfaceExitsOneNamingItAndTheAvailableOnes() throws Exception {
    try (NetnsFixture net = NetnsFixture.create()) {
      NetnsFixture.Namespace ns = net.namespace();
      Result r = jar(ns, "stats", "--interface", "nosuch0");
      assertThat(r.exit).isEqualTo(1);
      assertThat(r.err).contains("no interface named nosuch0").contains("available: lo");
    }
  }

  private static Map<String, Long> statsJson(NetnsFixture.Namespace ns, String dev) throws Exception {
    Result r = jar(ns, "stats", "--interface", dev, "--format", "json");
    assertThat(r.exit).as(r.err).isZero();
    assertThat(r.out).startsWith("{\"interfaces\":[{\"name\":\"" + dev + "\"");
    String stats = r.out.substring(r.out.indexOf("\"stats\":{") + 9, r.out.lastIndexOf("}}]}"));
    Map<String, Long> out = new LinkedHashMap<>();
    Matcher m = STAT.matcher(stats);
    while (m.find()) {
      out.put(m.group(1), Long.parseUnsignedLong(m.group(2)));
    }
    return out;
  }

  private static Map<String, Long> ethtool(NetnsFixture net, NetnsFixture.Namespace ns, String dev) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (NetnsFixture.EthtoolStat s : net.ethtoolStats(ns, dev)) {
      out.put(s.name(), s.unsignedValue());
    }
    return out;
  }

  private record Result(int exit, String out, String err) {}

  private static Result jar(NetnsFixture.Namespace ns, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(),
        Prerequisites.javaExecutable().toString(), "-jar", Prerequisites.receiverJar().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }
}
