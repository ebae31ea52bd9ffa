package io.enareceiver.ethtool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Tells whether any network link changed since the last look, so that the interface tracker
 * lists {@code /sys/class/net} only when something happened instead of on every sampling pass.
 * Listing sysfs once a second cost about 140 µs of CPU per pass in the running receiver (16
 * veths), more than reading the statistics of all of them; asking this monitor costs one
 * {@code recv} system call that answers {@code EAGAIN}, and allocates nothing.
 *
 * <p><b>How.</b> An {@code AF_NETLINK}/{@code NETLINK_ROUTE} socket bound to the multicast group
 * {@code RTMGRP_LINK}: the kernel sends it an {@code RTM_NEWLINK} or {@code RTM_DELLINK} message
 * for every link added, removed, renamed or changing state. {@link #drainChanges()} reads them
 * all without blocking and without parsing them: any message means "look again". The socket
 * sees the links of the network namespace of the thread that {@linkplain #open() opened} it,
 * and only those.
 *
 * <p><b>Privileges.</b> None needed: the receiver runs non-root with every capability dropped.
 * {@code netlink_bind} ({@code net/netlink/af_netlink.c}) lets a socket join multicast groups
 * when its protocol was registered with {@code NL_CFG_F_NONROOT_RECV} or the caller has
 * {@code CAP_NET_ADMIN}; {@code rtnetlink_net_init} ({@code net/core/rtnetlink.c}) registers
 * {@code NETLINK_ROUTE} with that flag in every namespace, and {@code rtnetlink_bind} asks for
 * {@code CAP_NET_ADMIN} only for the multicast-routing groups ({@code RTNLGRP_IPV4_MROUTE_R},
 * {@code RTNLGRP_IPV6_MROUTE_R}), not for links. This is how {@code ip monitor link} works for
 * any user.
 *
 * <p><b>Overflow.</b> When changes come faster than they are read, the kernel drops messages
 * that do not fit the socket's receive buffer and the next {@code recv} fails once with
 * {@code ENOBUFS}. Some change was lost, so that counts as a change too: the tracker lists
 * sysfs, which shows the current state whatever the messages said.
 *
 * <p><b>Threads.</b> Not thread-safe, like {@link EthtoolReader}: confined to the sampling thread
 * (handing it over from the thread that opened it needs a happens-before edge).
 */
final class LinkChangeMonitor implements AutoCloseable {

  /** Large enough for any single link message (a few KiB); larger ones are truncated, harmlessly. */
  static final int BUFFER_BYTES = 16 * 1024;
  /**
   * Receives per {@link #drainChanges()} at most, so that a kernel sending changes without pause
   * cannot hold the sampling pass: far more than the default receive buffer holds; whatever is
   * left is read on the next pass.
   */
  static final int MAX_RECEIVES_PER_DRAIN = 1024;

  private final Arena arena;
  private final MemorySegment capture;
  private final MemorySegment buffer;
  private int fd;
  /** Every recv issued, failed or not: makes the system calls per drain testable. */
  private long receives;
  /** How many times the kernel reported dropped messages (ENOBUFS). */
  private long overruns;

  private LinkChangeMonitor(int fd, Arena arena, MemorySegment capture) {
    this.fd = fd;
    this.arena = arena;
    this.capture = capture;
    this.buffer = arena.allocate(BUFFER_BYTES, 8);
  }

  /**
   * Opens a monitor for the network namespace of the calling thread.
   *
   * @throws EthtoolException when the socket cannot be created or bound (errno and reason say
   *     why, e.g. a seccomp profile refusing {@code AF_NETLINK})
   */
  static LinkChangeMonitor open() throws EthtoolException {
    Arena arena = Arena.ofShared(); // opened by one thread, drained by the sampling thread
    MemorySegment capture = NativeLinux.allocateCapture(arena);
    int fd = -1;
    try {
      fd = NativeLinux.socket(capture, NativeLinux.AF_NETLINK,
          NativeLinux.SOCK_RAW | NativeLinux.SOCK_CLOEXEC | NativeLinux.SOCK_NONBLOCK, NativeLinux.NETLINK_ROUTE);
      if (fd < 0) {
        throw failure("socket(AF_NETLINK, NETLINK_ROUTE)", NativeLinux.errno(capture));
      }
      MemorySegment address = arena.allocate(NativeLinux.SOCKADDR_NL_SIZE, 4);
      address.set(ValueLayout.JAVA_SHORT, 0, (short) NativeLinux.AF_NETLINK);
      address.set(ValueLayout.JAVA_INT, NativeLinux.SOCKADDR_NL_PID, 0); // the kernel picks the port id
      address.set(ValueLayout.JAVA_INT, NativeLinux.SOCKADDR_NL_GROUPS, NativeLinux.RTMGRP_LINK);
      if (NativeLinux.bind(capture, fd, address) != 0) {
        throw failure("bind to RTMGRP_LINK", NativeLinux.errno(capture));
      }
      return new LinkChangeMonitor(fd, arena, capture);
    } catch (EthtoolException | RuntimeException | Error e) {
      if (fd >= 0) {
        NativeLinux.close(capture, fd);
      }
      arena.close();
      throw e;
    }
  }

  /**
   * Reads every link change the kernel queued since the last call, without blocking. With
   * nothing queued this is exactly one {@code recv} answering {@code EAGAIN}.
   *
   * @return whether anything changed: at least one message arrived, or the kernel dropped some
   *     ({@code ENOBUFS})
   * @throws EthtoolException when {@code recv} fails for any other reason; the monitor can then
   *     no longer be trusted to report changes
   * @throws IllegalStateException when closed
   */
  boolean drainChanges() throws EthtoolException {
    if (fd < 0) {
      throw new IllegalStateException("LinkChangeMonitor is closed");
    }
    boolean changed = false;
    for (int i = 0; i < MAX_RECEIVES_PER_DRAIN; i++) {
      receives++;
      if (NativeLinux.recv(capture, fd, buffer, NativeLinux.MSG_DONTWAIT) >= 0) {
        changed = true;
        continue;
      }
      int errno = NativeLinux.errno(capture);
      switch (errno) {
        case LinuxErrno.EAGAIN -> {
          return changed;
        }
        case LinuxErrno.ENOBUFS -> {
          // Reported once per overflow; the messages that did fit are still queued behind it.
          overruns++;
          changed = true;
        }
        case LinuxErrno.EINTR -> {
          // a signal came in; nothing was lost, read on
        }
        default -> throw failure("recv", errno);
      }
    }
    return true; // more may be queued: the next call reads on
  }

  /** How many {@code recv} system calls this monitor has issued, failed ones included. */
  long receiveCount() {
    return receives;
  }

  /** How many times the kernel reported that it dropped messages ({@code ENOBUFS}). */
  long overrunCount() {
    return overruns;
  }

  /** The socket, for tests that need to act on it directly; -1 once closed. */
  int fd() {
    return fd;
  }

  /** Closes the socket and frees the buffer. Idempotent. */
  @Override
  public void close() {
    if (fd < 0) {
      return;
    }
    NativeLinux.close(capture, fd);
    fd = -1;
    arena.close();
  }

  @Override
  public String toString() {
    return "LinkChangeMonitor[" + (fd < 0 ? "closed]" : "fd " + fd + "]");
  }

  private static EthtoolException failure(String operation, int errno) {
    return new EthtoolException(LinuxErrno.reasonFor(errno), errno, "",
        "cannot watch link changes through rtnetlink: " + operation + " failed: " + LinuxErrno.describe(errno));
  }
}
