#!/usr/bin/env python3
"""Writes a small fake sysfs tree (the files lscpu, hwloc and the lab read) for a machine given as
counts, so real tools can be run on it:  lscpu --sysroot DIR -p=...  and  HWLOC_FSROOT=DIR lstopo.

usage: make-sysfs.py OUT --cpus 16 --packages 2 --nodes 2 --llcs 4 --smt 2 [--interleaved]
                         [--llc-level 3] [--capacities 446,1024] [--no-numa]
Layout rules are the lab's SyntheticMachine: packages -> LLCs -> cores -> threads, nodes split
evenly; interleaved numbering gives SMT siblings ids one core-count apart.
"""
import argparse, os

def cpulist(ids):
    ids = sorted(ids); out = []; i = 0
    while i < len(ids):
        j = i
        while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1: j += 1
        out.append(str(ids[i]) if i == j else f"{ids[i]}-{ids[j]}"); i = j + 1
    return ",".join(out)

def cpumap(ids, ncpus):
    mask = sum(1 << i for i in ids)
    words = max(1, (ncpus + 31) // 32)
    return ",".join(f"{(mask >> (32 * w)) & 0xffffffff:08x}" for w in reversed(range(words)))

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f: f.write(text + "\n")

a = argparse.ArgumentParser()
a.add_argument("out"); a.add_argument("--cpus", type=int, required=True)
a.add_argument("--packages", type=int, default=1); a.add_argument("--nodes", type=int, default=1)
a.add_argument("--llcs", type=int, default=1); a.add_argument("--smt", type=int, default=1)
a.add_argument("--interleaved", action="store_true"); a.add_argument("--llc-level", type=int, default=3)
a.add_argument("--capacities", default=""); a.add_argument("--no-numa", action="store_true")
o = a.parse_args()
cores = o.cpus // o.smt; per_llc = cores // o.llcs; llcs_per_pkg = o.llcs // o.packages
caps = [int(c) for c in o.capacities.split(",")] if o.capacities else []
cpu = {}  # id -> (core, llc, pkg, node, thread)
for core in range(cores):
    llc = core // per_llc; pkg = llc // llcs_per_pkg
    node = llc // (o.llcs // o.nodes) if o.nodes >= o.packages else pkg // (o.packages // o.nodes)
    for t in range(o.smt):
        cid = t * cores + core if o.interleaved else core * o.smt + t
        cpu[cid] = (core, llc, pkg, node, t)
n = o.cpus
root = os.path.join(o.out, "sys/devices/system")
write(f"{root}/cpu/possible", f"0-{n-1}" if n > 1 else "0")
write(f"{root}/cpu/present", f"0-{n-1}" if n > 1 else "0")
write(f"{root}/cpu/online", f"0-{n-1}" if n > 1 else "0")
write(f"{root}/cpu/kernel_max", "8191")
for c, (core, llc, pkg, node, t) in cpu.items():
    d = f"{root}/cpu/cpu{c}"
    sib = [x for x, v in cpu.items() if v[0] == core]
    pkgc = [x for x, v in cpu.items() if v[2] == pkg]
    llcc = [x for x, v in cpu.items() if v[1] == llc]
    write(f"{d}/online", "1")
    write(f"{d}/topology/physical_package_id", str(pkg))
    write(f"{d}/topology/die_id", "0")
    write(f"{d}/topology/core_id", str(core % (cores // o.packages)))
    for name, ids in (("thread_siblings", sib), ("core_cpus", sib), ("core_siblings", pkgc), ("package_cpus", pkgc)):
        write(f"{d}/topology/{name}_list", cpulist(ids)); write(f"{d}/topology/{name}", cpumap(ids, n))
    if caps: write(f"{d}/cpu_capacity", str(caps[llc]))
    if not o.no_numa: write(f"{d}/node{node}/.keep", "")
    # index0 L1d, index1 L1i, index2 L2 (per core), index3 the LLC when it is an L3
    caches = [(1, "Data", sib, "32K"), (1, "Instruction", sib, "32K")]
    caches.append((2, "Unified", llcc if o.llc_level == 2 else sib, "1024K"))
    if o.llc_level == 3: caches.append((3, "Unified", llcc, "16384K"))
    for i, (level, typ, ids, size) in enumerate(caches):
        ci = f"{d}/cache/index{i}"
        write(f"{ci}/level", str(level)); write(f"{ci}/type", typ); write(f"{ci}/size", size)
        write(f"{ci}/shared_cpu_list", cpulist(ids)); write(f"{ci}/shared_cpu_map", cpumap(ids, n))
        write(f"{ci}/coherency_line_size", "64"); write(f"{ci}/ways_of_associativity", "8")
        write(f"{ci}/physical_line_partition", "1"); write(f"{ci}/number_of_sets", "64")
        write(f"{ci}/id", str(min(ids) if level < o.llc_level else llc))
if not o.no_numa:
    write(f"{root}/node/possible", f"0-{o.nodes-1}" if o.nodes > 1 else "0")
    write(f"{root}/node/online", f"0-{o.nodes-1}" if o.nodes > 1 else "0")
    write(f"{root}/node/has_cpu", f"0-{o.nodes-1}" if o.nodes > 1 else "0")
    for nd in range(o.nodes):
        ids = [x for x, v in cpu.items() if v[3] == nd]
        write(f"{root}/node/node{nd}/cpulist", cpulist(ids)); write(f"{root}/node/node{nd}/cpumap", cpumap(ids, n))
        write(f"{root}/node/node{nd}/distance", " ".join("10" if m == nd else "20" for m in range(o.nodes)))
        write(f"{root}/node/node{nd}/meminfo", f"Node {nd} MemTotal:       1048576 kB\nNode {nd} MemFree:        1048576 kB")
# /proc/cpuinfo: lscpu and hwloc read it (model name, physical id per processor)
lines = []
for c in sorted(cpu):
    core, llc, pkg, node, t = cpu[c]
    lines += [f"processor\t: {c}", "vendor_id\t: GenuineIntel" if not caps else "CPU implementer\t: 0x41",
              "model name\t: tmigr-lab synthetic", f"physical id\t: {pkg}", f"core id\t\t: {core % (cores // o.packages)}",
              f"cpu cores\t: {cores // o.packages}", f"siblings\t: {o.cpus // o.packages}", ""]
write(os.path.join(o.out, "proc/cpuinfo"), "\n".join(lines))
write(os.path.join(o.out, "proc/meminfo"), "MemTotal:       2097152 kB\nMemFree:        2097152 kB")
