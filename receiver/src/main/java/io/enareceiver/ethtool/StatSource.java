package io.enareceiver.ethtool;

/**
 * Where one interface's statistics come from: the kernel through {@code SIOCETHTOOL}, or a
 * replayed capture. The sampler and the {@code stats} command see only this.
 */
public interface StatSource extends AutoCloseable {

  /** The interface this source reads. */
  NetInterface iface();

  /**
   * Reads the current statistics into {@code into}, reusing its arrays. When the set of
   * statistics changed since the previous read, the names are re-read and
   * {@link StatSnapshot#replaceNames} is called before the values are filled.
   *
   * @throws EthtoolException when the statistics cannot be read; the reason says why
   */
  void read(StatSnapshot into) throws EthtoolException;

  /** Releases what the source holds; reading afterwards is an error. */
  @Override
  void close();
}
