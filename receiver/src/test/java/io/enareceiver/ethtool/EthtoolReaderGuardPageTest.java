package io.enareceiver.ethtool;

import static org.assertj.core.api.Assertions.assertThat;

import io.enareceiver.testing.netns.NetnsFixture;
import io.enareceiver.testing.netns.NetnsFixture.EthtoolStat;
import io.enareceiver.testing.netns.NetnsFixture.Namespace;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The guard page against a real kernel writing more than the buffer holds. This kernel honours
 * the input count, except 0, which means "write everything": asked that way, it writes as an old
 * kernel does for any count once the driver's set grew. A veth with 128 queue pairs has more
 * statistics than one page of buffer holds, so the write must fault at the guard page (EFAULT),
 * be reported as the driver's count, and leave the JVM and the reader working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EthtoolReaderGuardPageTest {

  private static final String VETH_A = "enaGuardA";
  private static final String VETH_B = "enaGuardB";
  private static final int QUEUES = 128;

  private NetnsFixture fixture;
  private Namespace nsA;
  private List<EthtoolStat> ethtool;

  @BeforeAll
  void createManyQueueVeth() {
    fixture = NetnsFixture.create();
    nsA = fixture.namespace();
    Namespace nsB = fixture.namespace();
    fixture.vethPair(nsA, VETH_A, nsB, VETH_B, QUEUES);
    ethtool = fixture.ethtoolStats(nsA, VETH_A);
  }

  @AfterAll
  void deleteNamespaces() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void valuesWrittenPastTheBufferFaultAtTheGuardAndTheReaderThenGrows() throws EthtoolException {
    try (EthtoolReader reader = EthtoolReader.openInNamespace(nsA.file())) {
      int answered = reader.readValuesAskingForAll(VETH_A);
      int onePage = reader.statsCapacity();

      assertThat(ethtool.size())
          .as("veth with %d queues must have more statistics than one page of buffer holds (%d);"
              + " this kernel's veth has only %d", QUEUES, onePage, ethtool.size())
          .isGreaterThan(onePage);
      assertThat(answered).as("the count the kernel wrote in the header before faulting").isEqualTo(ethtool.size());
      assertThat(reader.statsCapacity()).as("the buffer was not grown by the faulting read").isEqualTo(onePage);

      assertReadsWholeThroughTheNormalPath(reader);
      assertThat(reader.statsCapacity()).isGreaterThanOrEqualTo(ethtool.size());
      // Asked for everything again, into the grown buffer, the kernel now writes it without a fault.
      assertThat(reader.readValuesAskingForAll(VETH_A)).isEqualTo(ethtool.size());
    }
  }

  @Test
  void namesWrittenPastTheBufferFaultAtTheGuardAndTheReaderThenGrows() throws EthtoolException {
    try (EthtoolReader reader = EthtoolReader.openInNamespace(nsA.file())) {
      int answered = reader.readNamesAskingForAll(VETH_A);
      int onePage = reader.stringsCapacity();

      assertThat(ethtool.size())
          .as("veth with %d queues must have more statistics than one page of names holds (%d);"
              + " this kernel's veth has only %d", QUEUES, onePage, ethtool.size())
          .isGreaterThan(onePage);
      assertThat(answered).isEqualTo(ethtool.size());
      assertThat(reader.stringsCapacity()).isEqualTo(onePage);

      assertReadsWholeThroughTheNormalPath(reader);
      assertThat(reader.stringsCapacity()).isGreaterThanOrEqualTo(ethtool.size());
    }
  }

  /**
   * A stale, smaller count is the steady-state case on an old kernel after the set grew: this
   * kernel answers 0 for it, so the values read reports a change and copies nothing.
   */
  @Test
  void aCountSmallerThanTheDriversIsAChangeNotAnOverrun() throws EthtoolException {
    try (EthtoolReader reader = EthtoolReader.openInNamespace(nsA.file())) {
      long[] values = new long[ethtool.size()];
      Arrays.fill(values, 7L);
      int answered = reader.readValues(VETH_A, 10, values);
      assertThat(answered).isNotEqualTo(10).isIn(0, ethtool.size());
      assertThat(values).containsOnly(7L);
    }
  }

  /** What a sampling source does after the fault: count, names, values, all equal to ethtool's. */
  private void assertReadsWholeThroughTheNormalPath(EthtoolReader reader) throws EthtoolException {
    KernelStatSource source = new KernelStatSource(new NetInterface(VETH_A, 0, "", "veth", "up"), reader);
    StatSnapshot snapshot = new StatSnapshot();
    source.read(snapshot);

    assertThat(snapshot.count()).isEqualTo(ethtool.size());
    assertThat(Arrays.copyOf(snapshot.names(), snapshot.count()))
        .containsExactlyElementsOf(ethtool.stream().map(EthtoolStat::name).toList());
    // The namespaces carry no traffic, so every value stands still and must equal ethtool's.
    for (int i = 0; i < snapshot.count(); i++) {
      assertThat(snapshot.values()[i]).as(snapshot.names()[i]).isEqualTo(ethtool.get(i).unsignedValue());
    }
    long before = reader.ioctlCount();
    source.read(snapshot);
    assertThat(reader.ioctlCount() - before).as("system calls of the next, steady-state read").isEqualTo(1);
  }
}
