package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.ethtool.EthtoolException.Reason;
import org.junit.jupiter.api.Test;

class LinuxErrnoTest {

  @Test
  void mapsErrnoToTheReasonAnOperatorActsOn() {
    assertThat(LinuxErrno.reasonFor(19)).isEqualTo(Reason.NO_DEVICE);
    assertThat(LinuxErrno.reasonFor(95)).isEqualTo(Reason.NOT_SUPPORTED);
    assertThat(LinuxErrno.reasonFor(1)).isEqualTo(Reason.PERMISSION);
    assertThat(LinuxErrno.reasonFor(13)).isEqualTo(Reason.PERMISSION);
    assertThat(LinuxErrno.reasonFor(22)).isEqualTo(Reason.OTHER);
  }

  @Test
  void describesLikeStrerrorWithTheSymbolicName() {
    assertThat(LinuxErrno.describe(19)).isEqualTo("No such device (ENODEV)");
    assertThat(LinuxErrno.describe(95)).isEqualTo("Operation not supported (EOPNOTSUPP)");
    assertThat(LinuxErrno.describe(1)).isEqualTo("Operation not permitted (EPERM)");
    assertThat(LinuxErrno.describe(4242)).isEqualTo("Unknown error 4242 (errno 4242)");
  }
}
