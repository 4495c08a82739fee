#!/usr/bin/env bash
# Regenerates the machine fixtures with the real tools (Debian: apt-get install hwloc util-linux).
# Tests only read the committed outputs; nothing here runs at test time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
cd "$here"; mkdir -p hwloc lscpu sysfs

# keep SRC DST: copies from the tree SRC (holding sys/) exactly the files SysfsReader reads; DST is the sysfs root.
keep() {
  rm -rf "$2"; mkdir -p "$2"
  local dst; dst="$(cd "$2" && pwd)"
  (cd "$1" && find sys/devices/system/cpu/possible sys/devices/system/cpu/online \
      sys/devices/system/cpu/cpu[0-9]*/topology/physical_package_id \
      sys/devices/system/cpu/cpu[0-9]*/topology/thread_siblings_list \
      sys/devices/system/cpu/cpu[0-9]*/cache/index[0-9]*/level \
      sys/devices/system/cpu/cpu[0-9]*/cache/index[0-9]*/type \
      sys/devices/system/cpu/cpu[0-9]*/cache/index[0-9]*/shared_cpu_list \
      sys/devices/system/cpu/cpu[0-9]*/cpu_capacity \
      sys/devices/system/node/possible sys/devices/system/node/node[0-9]*/cpulist \
      -maxdepth 0 2>/dev/null | while read -r f; do g="${f#sys/}"; mkdir -p "$dst/$(dirname "$g")"; cat "$f" > "$dst/$g"; done) || true
}

# 1. lstopo's synthetic topologies (no sysfs involved).
#    16 CPUs: 2 packages, a NUMA node each, 2 L3 per package (4 LLCs), SMT-2: the layout of
#    ../shared/data/kernel-hierarchies/cpus16-nodes2 (nodes 0-7, 8-15).
lstopo --input "pack:2 numa:1 l3:2 core:2 pu:2" --of xml > hwloc/pack2-numa2-l3x2-smt2.xml
#    the same hardware numbered so that node = cpu % 2: the layout of kernel-hierarchies-layouts/il16-2
lstopo --input "pack:2 numa:1 l3:2 core:2 pu:2(indexes=8*2:1*8)" --of xml > hwloc/pack2-numa2-l3x2-smt2-il16.xml
#    48 CPUs, 2 nodes of 24, 6 LLCs: the layout of kernel-hierarchies/cpus48-nodes2
lstopo --input "pack:2 numa:1 l3:3 core:4 pu:2" --of xml > hwloc/pack2-numa2-l3x3-smt2.xml
#    the issue's example: 64 CPUs, one node, 8 L3 of 8 CPUs
lstopo --input "pack:2 l3:4 core:4 pu:2" --of xml > hwloc/pack2-l3x4-core4-smt2.xml

# 2. Fake sysfs trees, then the real lscpu and hwloc reading them (HWLOC_COMPONENTS=-x86 keeps
#    hwloc from mixing in this host's CPUID). The committed sysfs copies keep only what the lab reads.
python3 make-sysfs.py "$tmp/x86-2s-smt2-il" --cpus 16 --packages 2 --nodes 2 --llcs 4 --smt 2 --interleaved
python3 make-sysfs.py "$tmp/arm-bl8" --cpus 8 --llcs 2 --llc-level 2 --capacities 446,1024 --no-numa
for m in x86-2s-smt2-il arm-bl8; do
  lscpu --sysroot "$tmp/$m" -p=CPU,CORE,SOCKET,NODE,CACHE > "lscpu/$m.lscpu"
  HWLOC_COMPONENTS=-x86 HWLOC_FSROOT="$tmp/$m" lstopo --of xml > "hwloc/$m.xml"
  keep "$tmp/$m" "sysfs/$m"
done

# 3. This host, as captured when the fixtures were made.
lscpu -p=CPU,CORE,SOCKET,NODE,CACHE > lscpu/host.lscpu
keep / sysfs/host
sed -i -E 's/(name="(HostName|OSName|OSRelease|OSVersion|ProcessName)" value=")[^"]*"/\1tmigr-lab"/' hwloc/*.xml
