#!/usr/bin/env python3
"""Writes N synthetic `ethtool -S` captures of an ENA with exactly STATS statistics, for the scale
benchmark: the real ENA global and allowance names, then per-queue names (queue_<q>_tx_* /
queue_<q>_rx_*) until STATS names. Counters rise from capture to capture so every series moves.

    gen-captures.py OUT_DIR [STATS=200] [CAPTURES=10]
"""
import os
import sys

out = sys.argv[1]
stats = int(sys.argv[2]) if len(sys.argv) > 2 else 200
captures = int(sys.argv[3]) if len(sys.argv) > 3 else 10

GLOBAL = ["tx_timeout", "suspend", "resume", "wd_expired", "interface_up", "interface_down",
          "admin_q_pause", "bw_in_allowance_exceeded", "bw_out_allowance_exceeded",
          "pps_allowance_exceeded", "conntrack_allowance_exceeded", "linklocal_allowance_exceeded",
          "conntrack_allowance_available"]
TX = ["cnt", "bytes", "queue_stop", "queue_wakeup", "dma_mapping_err", "linearize",
      "linearize_failed", "napi_comp", "tx_poll", "doorbells", "prepare_ctx_err", "bad_req_id",
      "llq_buffer_copy", "missed_tx", "unmask_interrupt"]
RX = ["cnt", "bytes", "rx_copybreak_pkt", "csum_good", "refil_partial", "bad_csum",
      "page_alloc_fail", "skb_alloc_fail", "dma_mapping_err", "bad_desc_num", "bad_req_id",
      "empty_rx_ring", "csum_unchecked", "xdp_aborted", "xdp_drop", "xdp_pass", "xdp_tx"]
ADMIN = ["ena_admin_q_aborted_cmd", "ena_admin_q_submitted_cmd", "ena_admin_q_completed_cmd",
         "ena_admin_q_out_of_space", "ena_admin_q_no_completion"]

names = GLOBAL + ADMIN
q = 0
while len(names) < stats:
    names += [f"queue_{q}_tx_{n}" for n in TX] + [f"queue_{q}_rx_{n}" for n in RX]
    q += 1
names = names[:stats]

os.makedirs(out, exist_ok=True)
for c in range(captures):
    with open(os.path.join(out, f"{c:03d}.txt"), "w") as f:
        f.write(f"# synthetic ENA capture {c} of {captures} ({stats} stats), written by gen-captures.py\n")
        f.write("NIC statistics:\n")
        for i, name in enumerate(names):
            if name == "conntrack_allowance_available":
                value = 100000 - c
            elif name.endswith("allowance_exceeded"):
                value = c // 3
            else:
                value = 1000 * i + 37 * c * (i % 7 + 1)
            f.write(f"     {name}: {value}\n")
