/*
 * The floor of the whole-process benchmark: the least any sampler can do to read the driver
 * statistics of N interfaces once a second. One ETHTOOL_GSTATS ioctl per interface per second,
 * sleeping in between; no names, no parsing, no export, no runtime. Whatever ena-receiver spends
 * above this is the price of the JVM, of OTLP and of the bookkeeping, and the ratio
 * receiver / floor says how close to the metal the agent runs on this machine.
 *
 *   gstats-floor IFNAME...
 *
 * Exits 1 with a message when an interface cannot be read.
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct target {
  struct ifreq ifr;
  struct ethtool_stats *stats;
  unsigned int count;
};

static unsigned int stats_count(int fd, struct ifreq *ifr) {
  struct {
    struct ethtool_sset_info hdr;
    unsigned int data[1];
  } info = {.hdr = {.cmd = ETHTOOL_GSSET_INFO, .sset_mask = 1ULL << ETH_SS_STATS}};
  ifr->ifr_data = (void *)&info;
  if (ioctl(fd, SIOCETHTOOL, ifr) != 0 || !(info.hdr.sset_mask & (1ULL << ETH_SS_STATS))) {
    return 0;
  }
  return info.data[0];
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s IFNAME...\n", argv[0]);
    return 2;
  }
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    perror("socket");
    return 1;
  }
  int n = argc - 1;
  struct target *t = calloc(n, sizeof *t);
  for (int i = 0; i < n; i++) {
    strncpy(t[i].ifr.ifr_name, argv[i + 1], IFNAMSIZ - 1);
    t[i].count = stats_count(fd, &t[i].ifr);
    if (t[i].count == 0) {
      fprintf(stderr, "%s: no driver statistics (%s)\n", argv[i + 1], strerror(errno));
      return 1;
    }
    /* Room for twice the count: a changed count must not overrun (see EthtoolReader). */
    t[i].stats = calloc(1, sizeof(struct ethtool_stats) + 2 * t[i].count * sizeof(__u64));
  }
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  for (;;) {
    for (int i = 0; i < n; i++) {
      t[i].stats->cmd = ETHTOOL_GSTATS;
      t[i].stats->n_stats = t[i].count;
      t[i].ifr.ifr_data = (void *)t[i].stats;
      if (ioctl(fd, SIOCETHTOOL, &t[i].ifr) != 0) {
        fprintf(stderr, "%s: ETHTOOL_GSTATS: %s\n", t[i].ifr.ifr_name, strerror(errno));
        return 1;
      }
    }
    next.tv_sec += 1;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {
    }
  }
}
